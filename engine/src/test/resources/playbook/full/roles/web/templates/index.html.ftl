<h1>${title}</h1>
<#list items as i>${i}</#list>
