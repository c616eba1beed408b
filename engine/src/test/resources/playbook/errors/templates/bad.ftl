line one
<#if x>
  no end
