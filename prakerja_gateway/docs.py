"""``/api/openapi.json`` and a readable page of it for people (``/api/docs``), all local.

The page is in Indonesian, like every page of the simulator: headings, labels, and each
operation's summary and description (``OPERATIONS`` below; the OpenAPI document itself stays in
English, like ``docs/api.md``). Field names, codes and the real API's messages are shown as they
are. Every operation shows a request example and a response example, taken from the document's
examples or, where it has none, built from its schemas, and its error codes as a table.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, render_template
from markupsafe import Markup, escape

from marketplace.apidocs import merge_contributions
from prakerja_gateway.openapi import build_spec
from prakerja_gateway.signing import compact_json, sign

bp = Blueprint("api_docs", __name__, url_prefix="/api", template_folder="templates")


@bp.app_template_filter("inline_code")
def inline_code(text: str) -> Markup:
    """OpenAPI descriptions are Markdown: show their `code` spans as code (text escaped first)."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def whole_spec() -> dict:
    """The gateway's APIs and the sandbox, plus what other parties contributed."""
    return merge_contributions(current_app, build_spec())


@bp.get("/openapi.json")
def spec():
    return jsonify(whole_spec())


@bp.get("/docs")
def page():
    document = whole_spec()
    return render_template(
        "gateway/docs.html", spec=document, groups=operation_groups(document), **SIGNING_EXAMPLE
    )


# --- the words of the page --------------------------------------------------------------------

PAYMENT = "/api/v1/integration/payment"
INTEGRATION = "/api/v1/integration"
VOUCHER_PATH = re.compile(r"^/(?P<platform>[^/]+)/api/v1/voucher/(?P<name>[^/]+)$")

# Each tag of the document: its heading and its introduction on the page.
GROUPS = {
    "Platform payment API": (
        "API pembayaran untuk platform digital (DP)",
        "Untuk platform digital yang menjual pelatihan: sama dengan API integrasi Prakerja yang "
        "publik (jalur, properti, amplop jawaban, kode status, tanda tangan).",
    ),
    "Simulator extensions": (
        "Ekstensi simulator",
        "Ditandatangani seperti API resmi, tetapi milik simulator sendiri "
        "(`x-simulator-extension: true`): API resmi tidak memilikinya.",
    ),
    "Institution API": (
        "API lembaga pelatihan (LP)",
        "Untuk lembaga pelatihan, seperti API Prakerja yang publik. Di sandbox, `redeem_code` "
        "berisi ERRTRX40020, ERRTRX40001, ERRTRX40027, ERRTRX40028, ERRTRX40022, ERRTRX40101 "
        "atau USED memaksa penolakan itu.",
    ),
    "Sandbox": (
        "Sandbox untuk penguji",
        "Tanpa tanda tangan: kartu uji, katalog, SMS dan email yang tertangkap, jam simulasi, "
        "laporan invarian. Bila `MARKETPLACE_SANDBOX_TOKEN` diisi, kirim token itu di header "
        "`X-Sandbox-Token`.",
    ),
    "Storefront voucher API": (
        "API voucher toko",
        "Untuk lembaga pelatihan: memeriksa dan memakai voucher yang dijual sebuah toko, "
        "ditandatangani seperti API Prakerja dengan kunci lembaga di toko itu.",
    ),
    "SSO API": (
        "API SSO \u201cLogin dengan Prakerja\u201d",
        "Untuk platform digital dan lembaga pelatihan yang memakai akun Prakerja sebagai login, "
        "seperti API SSO Prakerja yang publik (`api-proxy.prakerja.go.id`). Amplopnya sendiri: "
        "`message`, `success`, `errorCode`, `data`; setiap penolakan HTTP 400 dengan kode "
        "`ERROAUTH…`. Halaman persetujuan: `/consent-sso`. Panduan: `docs/sso.md`.",
    ),
}
OTHER_GROUP = ("Operasi lain", "")

# Each operation's summary and description, by "METHOD path" (voucher API: any platform).
OPERATIONS = {
    "GET /api/v1/oauth/authorize": (
        "Membuat URL login",
        "API resmi. Ditandatangani dengan header `X-Client-Id`, `X-Timestamp`, `X-Signature` "
        "(HMAC-SHA1 atas client_id + timestamp + `GET` + path, dengan atau tanpa `?` + query; "
        "rumusnya milik simulator karena tidak publik). `data.redirect_url` adalah halaman "
        "persetujuan.",
    ),
    "POST /api/v1/oauth/token": (
        "Menukar code dengan token",
        'API resmi. `code` berlaku 5 menit dan sekali pakai. Body `{"token": refresh_token}` '
        "tanpa `code` memperbarui token, seperti contoh curl di dokumentasi.",
    ),
    "POST /api/v1/oauth/token/refresh": (
        "Memperbarui token",
        "API resmi. Refresh token sekali pakai (diganti yang baru), berlaku 30 hari.",
    ),
    "GET /api/v1/resource/user_profile": (
        "Profil peserta",
        "API resmi. `Authorization: <access_token>` atau `Bearer <access_token>`. Data di luar "
        "scope yang diizinkan berisi string kosong.",
    ),
    f"POST {PAYMENT}/quota-schedule": (
        "Sisa kursi sebuah jadwal",
        "API resmi. Boleh dipanggil sebelum atau sesudah pembelian.",
    ),
    f"POST {PAYMENT}/send-otp": (
        "Memeriksa pembelian dan mengirim OTP",
        "API resmi. Memeriksa kartu, pelatihan (ada di katalog, dijual oleh platform pemanggil, "
        "`amount` sama dengan harganya), jadwal (ada, milik pelatihan itu, belum dimulai kecuali "
        "pembelajaran mandiri, kuota masih ada), usia dan pendidikan peserta terhadap syarat "
        "pelatihan, dan aturan program; lalu mengirim OTP lewat SMS ke nomor HP yang terdaftar "
        "di Prakerja. Dipanggil lagi untuk pembelian yang sama selama masih menunggu, OTP baru "
        "dikirim dengan `payment_token` yang sama (setelah jeda, dalam batas). Properti jawaban "
        "selain `payment_token` milik simulator (jawaban resminya tidak dipublikasikan).",
    ),
    f"POST {PAYMENT}/authorize": (
        "Memeriksa OTP dan membeli",
        "API resmi. Header `Authorization: Payment <payment_token>`. Atomik: potongan saldo, "
        "kursi, catatan buku besar, transaksi, dan kode redeem (dikirim ke peserta, bukan ke "
        "platform) ditulis bersama atau tidak sama sekali. `Idempotency-Key` opsional "
        "(ekstensi) mengulang jawaban pertama.",
    ),
    f"POST {PAYMENT}/status": (
        "Membaca sebuah pembelian",
        "API resmi. Dengan `invoice_code` platform; hanya pembelian milik platform pemanggil.",
    ),
    f"POST {PAYMENT}/void": (
        "Membatalkan sebuah pembelian",
        "API resmi. Saldo dan kursi kembali, kode redeem dibatalkan; ditolak bila lembaga sudah "
        "memakai kode redeem itu (aturan simulator). Menjawab tanpa `data`.",
    ),
    f"POST {INTEGRATION}/ext/payment/card-inquiry": (
        "Memeriksa kartu (ekstensi simulator)",
        "Tidak ada padanannya di API resmi. Status, saldo, dan apakah kartu boleh membeli "
        "pelatihan seharga `amount` sekarang (`reasons` berisi setiap aturan yang dilanggar, "
        "dengan nama kesalahannya; `messages` sama dalam bahasa Indonesia). Menjawab 200 "
        "walaupun kartu tidak bisa membeli.",
    ),
    f"POST {INTEGRATION}/oauth/url-generate": (
        "Alamat Scan Wajah untuk sebuah sesi",
        "API resmi. Arahkan peserta ke `url`; Prakerja mengembalikannya ke `redirect_uri` (harus "
        "terdaftar untuk lembaga itu) dengan `state`. `sequence` opsional (bawaan 1; 1–10 "
        "kehadiran, 999 post-test); verifikasi sequence 1 adalah redeem. Satu `email` hanya "
        "untuk satu kode redeem per pelatihan.",
    ),
    f"POST {PAYMENT}/redeem-code/status": (
        "Membaca kode redeem dan kehadiran sebuah sesi",
        "API resmi. `attendance_status` bernilai 1 setelah peserta lulus Scan Wajah untuk "
        "`sequence` (opsional, bawaan 1).",
    ),
    f"POST {PAYMENT}/redeem-code/commit": (
        "Memakai kode redeem (alur 2022)",
        "API resmi (alur lama: status, lalu commit, tanpa Scan Wajah). Sekali saja, selama "
        "jadwal yang dipilih saat pembelian berjalan (mulai 30 menit sebelum jadwal dimulai).",
    ),
    f"POST {PAYMENT}/redeem-code/reset": (
        "Mengatur ulang kode uji sandbox (hanya sandbox)",
        "API resmi. Hanya kode uji `PRAT-` untuk test case positif (TC1-001-200, TC1-999-200, "
        "TC2-001-200, TC2-999-200; `GET /sandbox/test-codes`). Menjawab data status.",
    ),
    f"POST {INTEGRATION}/tpm/submission": (
        "Mengirim tugas peserta",
        "API resmi (bentuknya dari kode klien publik). `scope` `tpm` dengan sequence 1–998, "
        "`uk` dengan 999; boleh dikirim ulang, satu `url_file` setiap kali. Untuk pembelajaran "
        "mandiri, setelah redeem. Hanya di sandbox: `url_file` yang memuat `gagal` dinilai "
        "gagal, yang memuat `tertunda` menunggu selama 24 jam simulasi.",
    ),
    f"POST {INTEGRATION}/tpm/submission/status": (
        "Membaca status tugas dan umpan balik lembaga",
        "API resmi. Status: 0 belum ada, 1 menunggu, 2 berhasil, 3 gagal.",
    ),
    f"POST {INTEGRATION}/tpm/feedback/submission": (
        "Menilai tugas yang sudah dikirim",
        'API resmi. Penilaian lembaga: `notes`, `url_file` opsional (boleh ""). Status umpan '
        "balik menjadi 2 (berhasil); ini pilihan simulator, aturan resminya tidak diketahui.",
    ),
    f"POST {INTEGRATION}/ext/redeem-code/complete": (
        "Melaporkan pelatihan selesai dengan nomor sertifikat (ekstensi simulator)",
        "Tidak ada padanannya di API resmi: aslinya penyelesaian sampai ke Prakerja lewat "
        "platform. Pembelajaran mandiri memerlukan tugas unjuk keterampilan (uk, 999) yang "
        "berhasil. Membuka pembelian berikutnya (skema normal: setelah peserta memberi rating "
        "dan ulasan).",
    ),
    f"POST {INTEGRATION}/ext/oauth/redirect-uri": (
        "Mendaftarkan alamat kembali Scan Wajah (ekstensi simulator)",
        "Pengganti formulir pendaftaran Prakerja: `url-generate` hanya menerima alamat kembali "
        "yang terdaftar (di sandbox, alamat loopback tidak perlu didaftarkan).",
    ),
    "GET /sandbox/personas": (
        "Kartu uji yang terdokumentasi",
        '`{"personas": [...]}`: `key`, `card_number` (= `prakerja_id`), `phone`, `email`, '
        "`otp` (OTP tetap, atau null: hanya lewat SMS), `description`, `birth_date`, "
        "`education` (yang diperiksa terhadap syarat pelatihan), `balance`, ...",
    ),
    "POST /sandbox/personas/{key}": (
        "Membuat peserta dan kartu baru dalam keadaan sebuah persona",
        "Kartu baru untuk setiap uji, agar uji saling bebas (jawaban 201).",
    ),
    "GET /sandbox/courses": (
        "Katalog: kode pelatihan dan jadwal yang diterima send-otp",
        '`{"courses": [...]}`: `course_code`, `title`, `price`, `institution`, '
        "`lp_client_code`, `platforms`, `type`, syarat `min_age`, `max_age` (inklusif, usia "
        "pada hari pembelian) dan `min_education` (null: tanpa syarat), dan "
        '`schedules: [{"schedule_code", "start", "end", "quota", "capacity", "on_sale"}]` '
        "(RFC 3339 UTC; kuota = kapasitas dikurangi kursi terjual; kelas webinar atau luring "
        "dijual sampai dimulai, batch pembelajaran mandiri sampai berakhir).",
    ),
    "GET /sandbox/transactions/{code}": (
        "Sisi Prakerja dari sebuah pembelian",
        "Dengan kode transaksi, payment token, kode redeem, atau kode invoice (kode invoice unik "
        "per platform: `client_code` memilih platformnya, tanpa itu pembelian terbaru yang "
        "menjawab). `status`: `PENDING` (menunggu OTP), `SUCCESS`, `FAILED`, `EXPIRED`, "
        "`CANCELLED` (dibatalkan). 404 `ERRSBX40402` bila tidak ada.",
    ),
    "GET /sandbox/partners": (
        "Kredensial mitra demo (client_code, sign_key)",
        "Platform digital (`dp`) dan lembaga pelatihan (`lp`), dengan format OTP-nya, serta klien "
        "SSO demo (`kind` `sso`: `client_id`, `client_name`, `sign_key`, `redirect_uris`, "
        "`login_uris`, `consent_url`).",
    ),
    "GET /sandbox/test-codes": (
        "Kode uji sandbox sebuah lembaga",
        "Satu kode redeem `PRAT-` per test case positif yang terdokumentasi (`TC1-001-200`, "
        "`TC1-999-200`, `TC2-001-200`, `TC2-999-200`) pada pelatihan lembaga itu, dibuat pada "
        "permintaan pertama, untuk `redeem-code/reset`; dan alamat kembali Scan Wajah yang "
        "terdaftar untuk lembaga itu.",
    ),
    "GET /sandbox/sms": (
        "SMS ke sebuah nomor HP, terbaru lebih dulu",
        "`otp` adalah kode yang dibawa pesan (null bila tidak ada).",
    ),
    "GET /sandbox/emails": (
        "Email ke sebuah alamat, terbaru lebih dulu",
        "Kode voucher dari toko dan kode redeem dari Prakerja datang lewat email.",
    ),
    "GET /sandbox/clock": ("Jam simulasi (UTC dan WIB)", "Dengan selisihnya dari jam dinding."),
    "POST /sandbox/clock/advance": (
        "Memajukan jam simulasi dan menjalankan yang jatuh tempo",
        "Mencabut kartu yang lewat batas pembelian pertama (saldo kembali lewat buku besar), "
        "menghanguskan saldo skema normal yang menganggur dan pembayaran yang kedaluwarsa, "
        "membayar cicilan insentif yang jatuh tempo; menjawab apa saja yang dijalankan.",
    ),
    "GET /sandbox/reconcile": (
        "Laporan invarian",
        '`{"ok": bool, "checks": [...], "totals": {...}}`: saldo sama dengan buku besar, tidak '
        "ada kursi terjual melebihi kapasitas, dan pemeriksaan lainnya.",
    ),
    "POST /sandbox/payments/{code}/complete": (
        "Menyimulasikan pelatihan yang dibeli selesai (dan rating dengan ulasan)",
        "`code`: kode transaksi atau kode redeem. Menggantikan laporan lembaga; membuka "
        "pembelian berikutnya (skema normal: setelah diulas). 409 `ERRSBX40901` kecuali "
        "pembeliannya berhasil.",
    ),
    "POST /{platform}/api/v1/voucher/status": (
        "Memeriksa voucher",
        "Voucher yang dijual toko ini: pelatihan, pembeli, waktu bayar dan waktu dipakai.",
    ),
    "POST /{platform}/api/v1/voucher/redeem": (
        "Memakai voucher (sekali saja)",
        "Atomik: dari dua penukaran yang berlomba, hanya satu yang berhasil.",
    ),
}

# Parameters, by "name" or, where a name means different things, "name path".
PARAMETERS = {
    "Idempotency-Key": "Kunci dan permintaan yang sama: jawaban pertama diulang (header "
    "`Idempotent-Replayed: true`). Permintaan lain dengan kunci itu: 400 `ERRPLT40032`; selama "
    "permintaan pertama masih diproses: 409 `ERRPLT40901`.",
    "Authorization": "`Payment <payment_token>`, token dari send-otp.",
    "key": "Nama persona, mis. `ok`, `sms`, `revoked` (lihat `GET /sandbox/personas`).",
    "code /sandbox/transactions/{code}": "Kode transaksi, payment token, kode redeem, atau "
    "kode invoice.",
    "code /sandbox/payments/{code}/complete": "Kode transaksi atau kode redeem.",
    "client_code /sandbox/transactions/{code}": "client_code platform, mis. tokopedia-sandbox.",
    "client_code /sandbox/test-codes": "client_code lembaga, mis. lpdigi-sandbox.",
    "phone": "Nomor HP, mis. 081200000002.",
    "to": "Alamat email.",
    "wait": "Detik menunggu pesan pertama yang cocok (paling lama 30).",
    "after": "Hanya pesan dengan id di atas nilai ini.",
}

WHERE = {"header": "header", "query": "kueri", "path": "jalur", "cookie": "cookie"}
TYPES = {
    "string": "teks",
    "integer": "bilangan bulat",
    "number": "angka",
    "boolean": "benar/salah",
    "object": "objek",
    "array": "daftar",
    "null": "null",
}
FORMATS = {"uri": "alamat web", "email": "alamat email", "date-time": "waktu RFC 3339"}

# The demo credentials the request examples are signed with, and the instant they carry.
EXAMPLE_TIMESTAMP = "1764246933"
SIGNERS = {
    "dp": ("tokopedia-sandbox", "sk_sandbox_tokopedia_demo"),
    "lp": ("lpdigi-sandbox", "sk_sandbox_lpdigi_demo"),
}
SIGNING_EXAMPLE = {"example_timestamp": EXAMPLE_TIMESTAMP, "signers": SIGNERS}

# Values for examples built from a schema that has none (by field name).
SAMPLES: dict[str, Any] = {
    "voucher_code": "VCR-9F3A61C2",
    "course_code": "DIG-001",
    "course_title": "Pemasaran Digital untuk UMKM",
    "buyer_name": "Siti Rahayu",
    "buyer_email": "siti@contoh.id",
    "paid_at": "2026-11-27T12:35:33Z",
    "used_at": None,
    "redeem_code": "PRAT-I14CTE",
    "prakerja_id": "5204890000000015",
    "card_number": "5204890000000015",
    "phone": "081200000001",
    "email": "peserta@contoh.id",
    "message": "OK",
}


# --- the page's model -------------------------------------------------------------------------


def operation_groups(document: dict) -> list[dict]:
    """The operations, grouped by their tag in the document's order, ready for the page."""
    groups = {tag["name"]: _group(tag["name"]) for tag in document.get("tags", [])}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            tag = (operation.get("tags") or [""])[0]
            group = groups.setdefault(tag, _group(tag))
            group["operations"].append(_operation(document, method, path, operation))
    return [group for group in groups.values() if group["operations"]]


def _group(tag: str) -> dict:
    title, intro = GROUPS.get(tag, OTHER_GROUP)
    return {"title": title, "intro": intro, "anchor": _anchor("kelompok", tag), "operations": []}


def _anchor(method: str, path: str) -> str:
    return f"{method}-" + re.sub(r"[^A-Za-z0-9_-]", "", path.replace("/", "-").replace(" ", "-"))


def _words_key(method: str, path: str) -> str:
    match = VOUCHER_PATH.match(path)
    if match:
        path = f"/{{platform}}/api/v1/voucher/{match['name']}"
    return f"{method.upper()} {path}"


def _operation(document: dict, method: str, path: str, operation: dict) -> dict:
    summary, description = OPERATIONS.get(_words_key(method, path), (None, ""))
    signed = bool(operation.get("security"))
    body_schema = _body_schema(operation)
    return {
        "method": method,
        "path": path,
        "anchor": _anchor(method, path),
        "summary": summary,
        "description": description,
        "extension": bool(operation.get("x-simulator-extension")),
        "signed": signed,
        "parameters": [_parameter(p, path) for p in operation.get("parameters", [])],
        "fields": _fields(document, body_schema) if body_schema else [],
        "request_example": _request_example(document, method, path, operation),
        "signer": _signer(path, operation) if signed else None,
        "response_example": _response_example(document, path, operation),
        "errors": _errors(operation),
    }


def _parameter(parameter: dict, path: str) -> dict:
    name = parameter["name"]
    return {
        "name": name,
        "where": WHERE.get(parameter["in"], parameter["in"]),
        "required": bool(parameter.get("required")),
        "description": PARAMETERS.get(f"{name} {path}", PARAMETERS.get(name, "")),
    }


def _body_schema(operation: dict) -> dict | None:
    body = operation.get("requestBody")
    if not body:
        return None
    return body.get("content", {}).get("application/json", {}).get("schema")


def _resolve(document: dict, schema: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema or {}


def _type_of(schema: dict) -> str:
    kind = schema.get("type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return " atau ".join(TYPES.get(k, k) for k in kinds if k)


def _fields(document: dict, schema: dict) -> list[dict]:
    schema = _resolve(document, schema)
    required = set(schema.get("required", []))
    fields = []
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(document, prop)
        limits = []
        if "maxLength" in prop:
            limits.append(f"≤ {prop['maxLength']} karakter")
        if "minimum" in prop or "maximum" in prop:
            limits.append(f"{prop.get('minimum', '')}–{prop.get('maximum', '')}")
        if prop.get("format") in FORMATS:
            limits.append(FORMATS[prop["format"]])
        if prop.get("enum"):
            limits.append("salah satu dari " + ", ".join(str(v) for v in prop["enum"]))
        fields.append(
            {
                "name": name,
                "type": _type_of(prop),
                "required": name in required,
                "limits": "; ".join(limits),
            }
        )
    return fields


# --- examples ---------------------------------------------------------------------------------


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def sample(document: dict, schema: dict, name: str = "", hints: dict | None = None) -> Any:
    """A value shaped by ``schema``: its own example where it has one, else a plausible one."""
    hints = hints or {}
    schema = _resolve(document, schema)
    if name in hints:
        return hints[name]
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if name in SAMPLES:
        return SAMPLES[name]
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        return {
            key: sample(document, value, key, hints)
            for key, value in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [sample(document, schema.get("items", {}), name, hints)]
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return {
        "date-time": "2026-11-27T12:35:33Z",
        "date": "2026-12-12",
        "uri": "https://contoh.id/",
        "email": "peserta@contoh.id",
    }.get(schema.get("format", ""), "teks")


def _hints(path: str) -> dict:
    match = VOUCHER_PATH.match(path)
    if not match:
        return {}
    hints = {"platform": match["platform"]}
    if match["name"] == "redeem":
        hints["used_at"] = "2026-11-28T02:10:00Z"
    return hints


def _media_example(document: dict, media: dict, path: str) -> Any:
    if "example" in media:
        return media["example"]
    if media.get("examples"):
        return next(iter(media["examples"].values())).get("value")
    if "schema" in media:
        return sample(document, media["schema"], hints=_hints(path))
    return None


def _signer(path: str, operation: dict) -> tuple[str, str]:
    """Whose demo credentials sign the example: an institution's or a platform's."""
    match = VOUCHER_PATH.match(path)
    if match:  # an institution at a storefront
        return "lpdigi-lp", f"sk_{match['platform']}_lpdigi_demo"
    if str(operation.get("operationId", "")).startswith("institution_"):
        return SIGNERS["lp"]
    return SIGNERS["dp"]


def _request_example(document: dict, method: str, path: str, operation: dict) -> str:
    """The request as sent: request line, headers (signed with the demo key), JSON body."""
    address, query, headers = path, {}, []
    for parameter in operation.get("parameters", []):
        value = parameter.get("example")
        if value is None:
            if not parameter.get("required"):
                continue
            value = sample(document, parameter.get("schema", {}), parameter["name"])
        if parameter["in"] == "path":
            address = address.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query":
            query[parameter["name"]] = value
        elif parameter["in"] == "header":
            headers.append(f"{parameter['name']}: {value}")
    if query:
        address += "?" + urlencode(query)
    body = None
    media = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
    if media is not None:
        body = _media_example(document, media, path)
    lines = [f"{method.upper()} {address}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    if operation.get("security"):
        client_code, sign_key = _signer(path, operation)
        signed_body = compact_json(body) if body is not None else ""
        signature = sign(sign_key, client_code, EXAMPLE_TIMESTAMP, method, path, signed_body)
        lines += [
            f"client_code: {client_code}",
            f"timestamp: {EXAMPLE_TIMESTAMP}",
            f"signature: {signature}",
        ]
    lines += headers
    if body is not None:
        lines += ["", _pretty(body)]
    return "\n".join(lines)


def _response_example(document: dict, path: str, operation: dict) -> str:
    """The success answer: status line and JSON body."""
    for status, response in operation.get("responses", {}).items():
        if not str(status).startswith("2"):
            continue
        media = response.get("content", {}).get("application/json")
        if media is None:
            return f"HTTP {status}"
        value = _media_example(document, media, path)
        if value is None:
            return f"HTTP {status}\n\n(objek JSON, lihat keterangan di atas)"
        return f"HTTP {status}\n\n{_pretty(value)}"
    return ""


# --- error codes ------------------------------------------------------------------------------

CODE_IN_DESCRIPTION = re.compile(r"`(?P<code>[^`]+)`(?: \((?P<origin>real|ours)\))?: ")


def _errors(operation: dict) -> list[dict]:
    """One row per error code the operation may answer: code, HTTP status, message, origin."""
    rows = []
    for status, response in operation.get("responses", {}).items():
        if str(status).startswith("2"):
            continue
        description = response.get("description", "")
        described = _described_codes(description)
        media = response.get("content", {}).get("application/json", {})
        examples = media.get("examples") or {}
        if examples:
            for name, example in examples.items():
                value = example.get("value", {})
                code = value.get("code", name)
                rows.append(
                    _row(code, status, value.get("message", ""), described.get(code, ("", ""))[1])
                )
        else:
            for code, (message, origin) in described.items():
                rows.append(_row(code, status, message, origin))
    return rows


def _described_codes(description: str) -> dict[str, tuple[str, str]]:
    """``"`CODE` (real): message; `CODE2`: message"`` as {code: (message, origin)}."""
    found = list(CODE_IN_DESCRIPTION.finditer(description))
    codes = {}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(description)
        message = description[match.end() : end].removesuffix("; ").strip()
        codes[match["code"]] = (message, match["origin"] or "")
    return codes


def _row(code: str, status: str, message: str, origin: str) -> dict:
    return {
        "code": code,
        "status": status,
        "message": message,
        "origin": "API resmi" if origin == "real" else "simulator",
    }
