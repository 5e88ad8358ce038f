"""The 保密审查单 (secrecy review form) of an item's current round: a printable page and a .docx.

``data.collect`` gathers what the form says; the page (templates/secrecy_form/form.html) and the
Word document (``document.build``) both render that one ``SecrecyForm``.
"""
