"""互动回应 (issue 25): the public's messages (咨询, 建议, 投诉), answered on time and on record.

See docs/interaction.md: ``operations`` (every state change), ``intake`` (the portal's 留言 form
and its personal-data screening), ``tracking`` (the 查询码 tracker and the rating), ``clock`` (due
days and badges on the working calendar), ``queries`` (the register, the overdue board, the
public 问答 list), ``statistics``, ``routes`` (staff) and ``portal_routes`` (the public).
"""
