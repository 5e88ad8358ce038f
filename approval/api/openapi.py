"""The OpenAPI 3.1 document of /api/v1. Schemas are JSON Schema 2020-12 and closed
(additionalProperties: false): a response with a field the document does not name is invalid."""

from __future__ import annotations

from approval.platform.routing import MAX_ID

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
URI = {"type": "string", "format": "uri"}
DATE_TIME = {
    "type": "string",
    "format": "date-time",
    "description": "RFC 3339，带公开主体所在时区的偏移（如 +08:00）",
}

CODED = _object({"code": STRING, "label": STRING}, "代码及其中文名称")

SUMMARY_PROPERTIES = {
    "id": {"type": "integer", "minimum": 1},
    "index_number": {**STRING, "description": "索引号"},
    "title": {**STRING, "description": "标题"},
    "summary": {**STRING, "description": "内容概述"},
    "publisher": {**STRING, "description": "发布机构"},
    "category": {"oneOf": [_ref("Category"), {"type": "null"}], "description": "主题分类"},
    "info_type": {**_ref("Coded"), "description": "信息类别"},
    "document_number": {**NULLABLE_STRING, "description": "发文字号（无则为 null）"},
    "formed_on": {"type": "string", "format": "date", "description": "成文日期"},
    "published_at": {**DATE_TIME, "description": "发布时间（RFC 3339，带时区偏移）"},
    "revised_at": {
        "oneOf": [DATE_TIME, {"type": "null"}],
        "description": "最近一次修订发布的时间（从未修订则为 null）",
    },
    "validity": {**_ref("Coded"), "description": "有效性：valid 有效、repealed 废止、expired 失效"},
    "url": {**URI, "description": "门户网站上的信息页面"},
    "api_url": {**URI, "description": "本接口中该信息的详情"},
}

DETAIL_PROPERTIES = {
    **SUMMARY_PROPERTIES,
    "body": {**STRING, "description": "正文（纯文本；表格每行一段，单元格以“ | ”分隔）"},
    "body_html": {
        **NULLABLE_STRING,
        "description": "正文的富文本（经白名单清洗的 HTML：段落、标题、列表、表格、加粗、链接）；"
        "纯文本正文为 null",
    },
    "body_id": {"type": "integer", "minimum": 1, "description": "公开主体编号"},
    "body_name": {**STRING, "description": "公开主体名称"},
    "keywords": {"type": "array", "items": STRING, "description": "主题词"},
    "versions": {
        "type": "array",
        "items": _ref("Version"),
        "description": "修订记录：每个公开版本，首次发布在前",
    },
    "attachments": {"type": "array", "items": _ref("Attachment"), "description": "附件"},
}

SCHEMAS = {
    "Coded": CODED,
    "Category": _object({"code": STRING, "name": STRING}, "主题分类"),
    "Version": _object(
        {
            "number": {"type": "integer", "minimum": 1, "description": "版本号"},
            "published_at": DATE_TIME,
            "note": {**STRING, "description": "修订说明（首次发布为空）"},
        },
        "一个公开版本",
    ),
    "Attachment": _object(
        {
            "name": {**STRING, "description": "公开名称"},
            "filename": STRING,
            "size": {"type": "integer", "minimum": 0, "description": "字节数"},
            "content_type": STRING,
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "url": {**URI, "description": "下载地址"},
        },
        "附件",
    ),
    "ItemSummary": _object(SUMMARY_PROPERTIES, "列表中的一条已发布信息"),
    "Item": _object(DETAIL_PROPERTIES, "一条已发布信息的全部信息公开要素"),
    "ItemPage": _object(
        {
            "items": {"type": "array", "items": _ref("ItemSummary"), "maxItems": MAX_LIMIT},
            "next": {
                **NULLABLE_STRING,
                "description": "下一页的位置，作为 after 参数传回；没有下一页时为 null",
            },
            "next_url": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "下一页的完整地址；没有下一页时为 null",
            },
        },
        "按发布时间从新到旧排列的一页",
    ),
    "Error": _object({"error": {**STRING, "description": "出错原因"}}),
    "Withdrawn": _object(
        {
            "error": STRING,
            "id": {"type": "integer", "minimum": 1},
            "index_number": STRING,
            "title": STRING,
            "unpublished_at": {**DATE_TIME, "description": "撤稿时间"},
            "reason": {**STRING, "description": "向公众说明的撤稿原因"},
            "url": URI,
        },
        "已撤稿信息的公开说明",
    ),
}


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


def _id_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


def document(server_url: str) -> dict:
    """The whole document; ``server_url`` is this API's absolute base (…/api/v1)."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "政府信息公开 · 已发布信息接口",
            "version": "1.0.0",
            "description": "只读、公开、无需登录。只提供已发布的信息；已撤稿的信息返回 410 及撤稿说明。",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/bodies/{body_id}/items": {
                "get": {
                    "operationId": "listItems",
                    "summary": "公开主体已发布的信息（按发布时间从新到旧，键集分页）",
                    "parameters": [
                        _id_parameter("body_id", "公开主体编号"),
                        {
                            "name": "after",
                            "in": "query",
                            "required": False,
                            "description": "上一页返回的 next；省略则从最新的一条开始",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "description": "每页条数",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_LIMIT,
                                "default": DEFAULT_LIMIT,
                            },
                        },
                        {
                            "name": "category",
                            "in": "query",
                            "required": False,
                            "description": "主题分类代码：只列直接归入该分类的信息",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": _json("ItemPage", "一页信息"),
                        "400": _json("Error", "after 或 limit 无效"),
                        "404": _json("Error", "公开主体或主题分类不存在"),
                    },
                }
            },
            "/items/{item_id}": {
                "get": {
                    "operationId": "getItem",
                    "summary": "一条已发布信息的信息公开要素、正文和附件",
                    "parameters": [_id_parameter("item_id", "信息编号")],
                    "responses": {
                        "200": _json("Item", "已发布的信息"),
                        "404": _json("Error", "信息不存在或未公开"),
                        "410": _json("Withdrawn", "信息已撤稿"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenAPIDocument",
                    "summary": "本文档",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1 文档",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
