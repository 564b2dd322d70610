-- Runs citeproc on each article of a batch on its own: every top-level Div of class
-- "anthology-article" carries its own references file, style, locale and nocite keys, so each
-- article gets its own reference list (numbering restarts) from one pandoc process.
function Pandoc(doc)
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.classes:includes("anthology-article") then
      local meta = pandoc.Meta({})
      meta["bibliography"] = block.attributes["bibliography"]
      meta["csl"] = block.attributes["csl"]
      meta["lang"] = block.attributes["lang"]
      meta["link-citations"] = true
      meta["link-bibliography"] = true
      local nocite = block.attributes["nocite"]
      if nocite and nocite ~= "" then
        meta["nocite"] = pandoc.read(nocite, "markdown").blocks[1].content
      end
      block.content = pandoc.utils.citeproc(pandoc.Pandoc(block.content, meta)).blocks
    end
  end
  return doc
end
