"""依申请公开: the request register, staff side (issue 28). Staff enter requests received at the
counter, by post, fax, e-mail, online or orally; the day of receipt follows Art. 31
(``core.request_receipt``) and the reply clock is ``core.request_clock``'s. The office assigns
and transfers requests, asks for 补正 once, records the corrected request, pauses the clock for a
third party, another body or a fee, approves one extension and closes a request whose 补正 lapsed.
Every change, and every staff read of a request's page, is one audit entry."""
