-- torch.TestSuite: a table of named test functions for torch.Tester.
--    local tests = torch.TestSuite()
--    function tests.myTest() ... end
--    torch.Tester():add(tests):run()
-- Assigning a name twice or a non-function is an error (Torch7's wording).
function torch.TestSuite()
   local obj = {__tests = {}, __isTestSuite = true}
   return setmetatable(obj, {
      __index = function(self, key)
         return self.__tests[key]
      end,
      __newindex = function(self, key, value)
         if self.__tests[key] ~= nil then
            error('Test ' .. tostring(key) .. ' is already defined.', 2)
         end
         if type(value) ~= 'function' then
            if type(value) == 'table' then
               error('Nested tables of tests are not supported', 2)
            end
            error('Only functions are supported as members of a TestSuite', 2)
         end
         self.__tests[key] = value
      end,
   })
end

return torch.TestSuite
