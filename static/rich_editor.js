/* The draft form's 正文 editor (docs/rich-text.md): our own, local, no inline script (the CSP
   allows scripts from 'self' only). A contenteditable area replaces the text area; pasting from
   Word or WPS keeps the clipboard's HTML, reduced here to the same allow-list the server applies
   (approval/core/rich_text.py) so the editor shows what will be kept; the server sanitizes again
   on save. On submit, once the 正文 was changed here, its HTML goes into the hidden body_html
   field and body_editor is set to 1. Without script the text area is used as it is. */
(function () {
  "use strict";
  var ALLOWED = {
    P: 1, BR: 1, H1: 1, H2: 1, H3: 1, H4: 1, H5: 1, H6: 1, STRONG: 1, B: 1, EM: 1, I: 1, U: 1,
    SUB: 1, SUP: 1, UL: 1, OL: 1, LI: 1, TABLE: 1, CAPTION: 1, THEAD: 1, TBODY: 1, TFOOT: 1,
    TR: 1, TH: 1, TD: 1, A: 1
  };
  var DROPPED = {  /* with their content */
    SCRIPT: 1, STYLE: 1, HEAD: 1, TITLE: 1, META: 1, LINK: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1,
    EMBED: 1, SVG: 1, MATH: 1, NOSCRIPT: 1, XML: 1, IMG: 1, VIDEO: 1, AUDIO: 1, CANVAS: 1,
    INPUT: 1, BUTTON: 1, SELECT: 1, TEXTAREA: 1, FORM: 1
  };
  var BLOCKISH = { DIV: 1, SECTION: 1, ARTICLE: 1, HEADER: 1, FOOTER: 1, BLOCKQUOTE: 1, PRE: 1 };
  var SPANS = { colspan: 100, rowspan: 1000 };

  function safeHref(value) {
    var v = (value || "").trim();
    return /^(https?:|mailto:)/i.test(v) ? v : null;
  }

  function copyAllowed(source, target) {
    var tag = source.nodeName;
    if (tag === "A") {
      var href = safeHref(source.getAttribute("href"));
      if (href) { target.setAttribute("href", href); }
    }
    if (tag === "TD" || tag === "TH") {
      Object.keys(SPANS).forEach(function (name) {
        var v = (source.getAttribute(name) || "").trim();
        if (/^\d{1,4}$/.test(v) && +v >= 1 && +v <= SPANS[name] && +v !== 1) {
          target.setAttribute(name, String(+v));
        }
      });
    }
  }

  function hasBlock(node) {
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1 && (ALLOWED[c.nodeName] && !/^(BR|STRONG|B|EM|I|U|SUB|SUP|A)$/.test(c.nodeName) || BLOCKISH[c.nodeName])) {
        return true;
      }
    }
    return false;
  }

  /* the children of `source`, allowed elements rebuilt, others unwrapped or dropped */
  function cleanInto(source, target, doc) {
    for (var node = source.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        target.appendChild(doc.createTextNode(node.nodeValue));
      } else if (node.nodeType === 1) {
        var tag = node.nodeName.toUpperCase();
        if (DROPPED[tag]) { continue; }
        if (ALLOWED[tag]) {
          var copy = doc.createElement(tag.toLowerCase());
          copyAllowed(node, copy);
          cleanInto(node, copy, doc);
          target.appendChild(copy);
        } else if (BLOCKISH[tag] && !hasBlock(node)) {
          var p = doc.createElement("p");
          cleanInto(node, p, doc);
          target.appendChild(p);
        } else {
          cleanInto(node, target, doc);  /* span, font, o:p, …: their text stays */
        }
      }
    }
  }

  /* what the strict CSP would refuse (and report) even in an inert parsed document: style
     elements and attributes, event handlers, scripts. Taken out of the text before it is parsed;
     the allow-list below is the real cleaning, and the server's after it. */
  var REFUSED = [
    /<!--[\s\S]*?-->/g,
    /<(script|style)\b[\s\S]*?<\/\1\s*>/gi,
    /\s(?:style|on[a-z]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi
  ];

  function cleanHtml(html) {
    REFUSED.forEach(function (pattern) { html = html.replace(pattern, ""); });
    var parsed = new DOMParser().parseFromString(html, "text/html");  /* scripts never run here */
    var holder = document.createElement("div");
    cleanInto(parsed.body, holder, document);
    return holder.innerHTML;
  }

  function paragraphsOf(text) {
    var holder = document.createElement("div");
    text.split(/\r?\n/).forEach(function (line) {
      if (!line.trim()) { return; }
      var p = document.createElement("p");
      p.textContent = line;
      holder.appendChild(p);
    });
    return holder.innerHTML;
  }

  var INLINE = { "#text": 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, U: 1, SUB: 1, SUP: 1, A: 1 };

  /* Insert cleaned HTML at the caret: inline content where it is, blocks (a table, paragraphs)
     after the caret's paragraph, which they replace when it is empty. Done by hand rather than
     with execCommand("insertHTML"), which adds style attributes the CSP refuses. */
  function insert(editor, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;  /* cleaned: no script, no style, no handler */
    var nodes = Array.prototype.slice.call(holder.childNodes);
    if (!nodes.length) { return; }
    var selection = window.getSelection();
    var range = selection.rangeCount && editor.contains(selection.anchorNode) ? selection.getRangeAt(0) : null;
    if (range) { range.deleteContents(); }
    var last = nodes[nodes.length - 1];
    if (range && nodes.every(function (n) { return INLINE[n.nodeName]; })) {
      var fragment = document.createDocumentFragment();
      nodes.forEach(function (n) { fragment.appendChild(n); });
      range.insertNode(fragment);
    } else {
      var block = range ? range.startContainer : null;
      while (block && block.parentNode !== editor) { block = block.parentNode; }
      if (block === editor) { block = null; }
      var before = block ? block.nextSibling : null;
      if (block && !block.textContent.trim() && !/^(TABLE|UL|OL)$/.test(block.nodeName)) {
        editor.removeChild(block);
      }
      nodes.forEach(function (n) { editor.insertBefore(n, before); });
    }
    var after = document.createRange();
    after.setStartAfter(last);
    after.collapse(true);
    selection.removeAllRanges();
    selection.addRange(after);
  }

  function setUp(box) {
    var editor = box.querySelector("[data-rich-editor]");
    var textarea = box.querySelector("[data-rich-text]");
    var hidden = box.querySelector("[data-rich-html]");
    var flag = box.querySelector("[data-rich-flag]");
    var toolbar = box.querySelector("[data-rich-toolbar]");
    var hint = box.querySelector("[data-rich-hint]");
    var form = box.closest("form");
    if (!editor || !textarea || !hidden || !flag || !form) { return; }
    var dirty = false;
    if (!editor.innerHTML.trim() && textarea.value.trim()) {
      editor.innerHTML = paragraphsOf(textarea.value);  /* a plain-text 正文 */
    }
    editor.hidden = false;
    if (toolbar) { toolbar.hidden = false; }
    if (hint) { hint.hidden = false; }
    textarea.hidden = true;
    textarea.id = "body-text";  /* the 正文 field is now the editor: the label names it */
    editor.id = "body";
    document.querySelector("label[for='body']").addEventListener("click", function () {
      editor.focus();
    });
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* old */ }

    editor.addEventListener("input", function () { dirty = true; });
    editor.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      var html = data && data.getData("text/html");
      if (!html) { return; }  /* plain text: the browser inserts it */
      event.preventDefault();
      insert(editor, cleanHtml(html));
      dirty = true;
    });
    if (toolbar) {
      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-command]");
        if (!button) { return; }
        var command = button.getAttribute("data-command");
        var value = button.getAttribute("data-value");
        editor.focus();
        if (command === "createLink") {
          value = safeHref(window.prompt(button.getAttribute("data-prompt"), "https://"));
          if (!value) { return; }
        }
        document.execCommand(command, false, command === "formatBlock" ? "<" + value + ">" : value);
        dirty = true;
      });
    }
    form.addEventListener("submit", function () {
      if (!dirty) { return; }  /* untouched: the 正文 is sent as the page had it */
      hidden.value = cleanHtml(editor.innerHTML);
      textarea.value = editor.innerText;
      flag.value = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rich-body]"), setUp);
  });
})();
