-- Writes `text` to `file` through a temporary file and a rename, so an
-- interrupted run never leaves a half-written file.  Used by the tutorial
-- scripts (results, submission) and the experiment driver (tables, report).
return function(file, text)
   local tmp = file .. '.tmp'
   local f, err = io.open(tmp, 'w')
   if not f then error('cannot write ' .. file .. ': ' .. tostring(err), 0) end
   f:write(text)
   f:close()
   local ok, rerr = os.rename(tmp, file)
   if not ok then
      os.remove(tmp)
      error('cannot write ' .. file .. ': ' .. tostring(rerr), 0)
   end
end
