"""The institution (LP) API's operations, and our extensions for institutions."""

from __future__ import annotations

from prakerja_gateway import forms, institution_api
from prakerja_gateway.errors import INSTITUTION_ERRORS
from prakerja_gateway.openapi.schema import Endpoint, obj, scalar


def _lp(path: str, summary: str, description: str, form, data, errors, **more) -> Endpoint:
    return Endpoint(
        path,
        summary,
        description,
        form,
        data,
        ("invalid_request", *REDEEM_CODE_ERRORS, *errors),
        prefix=institution_api.PREFIX,
        catalogue=INSTITUTION_ERRORS,
        operation_prefix="institution_",
        **{"tag": "Institution API", **more},
    )


# Every institution call that names a redeem code may answer these.
REDEEM_CODE_ERRORS = ("ERRTRX40020", "ERRTRX40028", "ERRTRX40022", "ERRTRX40101")
TASK_STATUS = scalar("integer", "0 none, 1 pending, 2 success, 3 failed.", enum=[0, 1, 2, 3])
NULLABLE_RFC3339 = {"type": ["string", "null"], "format": "date-time",
                    "description": "RFC 3339, UTC, `Z`."}  # fmt: skip
CODE_STATUS = obj(
    {
        "redeem_code": scalar("string"),
        "course_code": scalar("string"),
        "invoice_code": scalar("string"),
        "schedule_code": {"type": ["string", "null"]},
        "status": scalar("integer", "1 valid (real); 2 training completed (ours).", enum=[1, 2]),
        "attendance_status": scalar(
            "integer", "1 once this sequence's attendance is verified.", enum=[0, 1]
        ),  # fmt: skip
        "redeem_at": NULLABLE_RFC3339,
        "dp_platform": scalar("string", "The selling platform's name, e.g. Tokopedia."),
        "schedule_start_end": scalar("string", "Ours: `YYYY-MM-DD HH:MM - YYYY-MM-DD HH:MM` WIB."),
        "course_type": scalar(
            "integer", "1 self-paced, 2 webinar, 3 offline (3 is ours).", enum=[1, 2, 3]
        ),  # fmt: skip
        "course_type_label": scalar("string"),
        "course_learning_method": scalar("string"),
        "is_online_attendance": scalar("boolean"),
        "sequence": scalar("integer"),
    }
)
TASK_ECHO = {"redeem_code": scalar("string"), "scope": scalar("string", enum=["tpm", "uk"]),
             "sequence": scalar("integer")}  # fmt: skip
# Example values, from the demo data: a redeem code bought on Tokopedia, a sandbox test code.
CODE, TEST_CODE = "PRAT-I14CTE", "PRAT-0CW3JL"
STATUS_EXAMPLE = {
    "redeem_code": CODE,
    "course_code": "DIG-001",
    "invoice_code": "INV-B2813AB2C5AE",
    "schedule_code": "d732915b52084ef1",
    "status": 1,
    "attendance_status": 1,
    "redeem_at": "2026-11-27T12:41:02Z",
    "dp_platform": "Tokopedia",
    "schedule_start_end": "2026-10-28 00:00 - 2027-04-26 00:00",
    "course_type": 1,
    "course_type_label": "Pembelajaran Mandiri",
    "course_learning_method": "Daring",
    "is_online_attendance": True,
    "sequence": 1,
}
TEST_CODE_STATUS_EXAMPLE = {
    **STATUS_EXAMPLE,
    "redeem_code": TEST_CODE,
    "invoice_code": "sandbox-tc1-001-200",
    "attendance_status": 0,
    "redeem_at": None,
    "dp_platform": "Prakerja Sandbox",
}
TASK_EXAMPLE = {"redeem_code": CODE, "scope": "tpm", "sequence": 1}
FILE_EXAMPLE = "https://lembaga.example/tugas/1.pdf"
STATE_EXAMPLE = "7LS32mMR0_r3Z0zfneI8Dn5Yf-wi-eFe"
CALLBACK_EXAMPLE = "https://lembaga.example/kembali"

INSTITUTION_ENDPOINTS = (
    _lp(
        "oauth/url-generate",
        "Get the Scan Wajah address for a session",
        "Real API. Send the participant to `url`; Prakerja sends them back to `redirect_uri` "
        "(which must be registered for the institution) with `state`. `sequence` is optional "
        "(default 1; 1–10 attendance, 999 post-test); the sequence-1 verification is the redeem. "
        "An `email` serves one redeem code per training.",
        forms.UrlGenerateForm,
        obj(
            {
                "url": scalar("string", format="uri"),
                "state": scalar("string"),
                "course": obj({"type": scalar("integer"), "learning_method": scalar("string")}),
            }
        ),
        (
            "ERRTRX40001",
            "ERRTRX40027",
            "redeem_code_not_committed",
            "email_already_used",
            "redirect_uri_not_registered",
        ),  # fmt: skip
        request_example={
            "redeem_code": CODE,
            "redirect_uri": CALLBACK_EXAMPLE,
            "email": "peserta@contoh.id",
            "sequence": 1,
        },
        data_example={
            "url": f"http://127.0.0.1:5000/prakerja/scan-wajah?state={STATE_EXAMPLE}",
            "state": STATE_EXAMPLE,
            "course": {"type": 1, "learning_method": "Daring"},
        },
    ),
    _lp(
        "payment/redeem-code/status",
        "Read a redeem code and a session's attendance",
        "Real API. `attendance_status` is 1 once the participant passed Scan Wajah for "
        "`sequence` (optional, default 1).",
        forms.RedeemStatusForm,
        CODE_STATUS,
        (),
        request_example={"redeem_code": CODE, "sequence": 1},
        data_example=STATUS_EXAMPLE,
    ),
    _lp(
        "payment/redeem-code/commit",
        "Use a redeem code (the 2022 flow)",
        "Real API (older flow: status, then commit, without a face check). Once, while the "
        "schedule fixed at purchase runs (from 30 minutes before its start).",
        forms.RedeemCodeForm,
        obj(
            {
                "redeem_code": scalar("string"),
                "course_code": scalar("string"),
                "status": scalar("integer", enum=[1]),
            }
        ),  # fmt: skip
        ("redeem_code_used", "ERRTRX40027"),
        request_example={"redeem_code": CODE},
        data_example={"redeem_code": CODE, "course_code": "DIG-001", "status": 1},
    ),
    _lp(
        "payment/redeem-code/reset",
        "Reset a sandbox test code (sandbox only)",
        "Real API. Only `PRAT-` test codes of the positive test cases (TC1-001-200, "
        "TC1-999-200, TC2-001-200, TC2-999-200; `GET /sandbox/test-codes`). Answers the status "
        "data.",
        forms.ResetForm,
        CODE_STATUS,
        ("not_a_test_case", "sandbox_only"),
        request_example={"redeem_code": TEST_CODE},
        data_example=TEST_CODE_STATUS_EXAMPLE,
    ),
    _lp(
        "tpm/submission",
        "Hand in a participant's task",
        "Real API (shape from public client code). `scope` `tpm` with sequence 1–998, `uk` "
        "with 999; may be handed in again, one `url_file` each time. Self-paced courses, after "
        "the redeem. Sandbox only: a `url_file` containing `gagal` fails, `tertunda` stays "
        "pending for 24 simulated hours.",
        forms.TaskSubmissionForm,
        obj(
            {
                "id": scalar("integer"),
                **TASK_ECHO,
                "status": TASK_STATUS,
                "url_file": scalar("string"),
            }
        ),  # fmt: skip
        ("ERRTRX40001", "redeem_code_not_committed"),
        request_example={**TASK_EXAMPLE, "url_file": FILE_EXAMPLE},
        data_example={"id": 1, **TASK_EXAMPLE, "status": 2, "url_file": FILE_EXAMPLE},
    ),
    _lp(
        "tpm/submission/status",
        "Read a task's assignment and the institution's feedback",
        "Real API.",
        forms.TaskForm,
        obj(
            {
                "assignment": obj({**TASK_ECHO, "status": TASK_STATUS}),
                "feedback": obj({**TASK_ECHO, "status": TASK_STATUS}),
            }
        ),
        ("ERRTRX40001",),
        request_example=TASK_EXAMPLE,
        data_example={
            "assignment": {**TASK_EXAMPLE, "status": 2},
            "feedback": {**TASK_EXAMPLE, "status": 0},
        },
    ),
    _lp(
        "tpm/feedback/submission",
        "Grade a handed-in task",
        'Real API. The institution\'s assessment: `notes`, optional `url_file` ("" allowed). The '
        "feedback status becomes 2 (success); the simulator's choice, the real rule is unknown.",
        forms.FeedbackForm,
        obj(
            {
                "id": scalar("integer"),
                **TASK_ECHO,
                "status": TASK_STATUS,
                "url_file": scalar("string"),
                "notes": scalar("string"),
            }
        ),  # fmt: skip
        ("ERRTRX40001", "task_not_submitted"),
        request_example={**TASK_EXAMPLE, "notes": "Bagus, lengkap.", "url_file": ""},
        data_example={
            "id": 1,
            **TASK_EXAMPLE,
            "status": 2,
            "url_file": "",
            "notes": "Bagus, lengkap.",
        },
    ),
    _lp(
        "ext/redeem-code/complete",
        "Report completion with the certificate number (simulator extension)",
        "No real counterpart: in reality completion reaches Prakerja through the platform. "
        "Self-paced courses need their skills task (uk, 999) successful. Unlocks the next "
        "purchase (normal scheme: after the participant's rating and review).",
        forms.CompletionForm,
        obj(
            {
                "redeem_code": scalar("string"),
                "status": scalar("string", enum=["completed"]),
                "completed_at": scalar("string", format="date-time"),
                "certificate_number": scalar("string"),
                "next_purchase_unlocked": scalar("boolean"),
            }
        ),
        (
            "redeem_code_not_committed",
            "training_already_completed",
            "training_not_finished",
            "test_code_not_completable",
        ),  # fmt: skip
        tag="Simulator extensions",
        extension=True,
        request_example={"redeem_code": CODE, "certificate_number": "DIGI/2026/000123"},
        data_example={
            "redeem_code": CODE,
            "status": "completed",
            "completed_at": "2026-12-20T08:15:00Z",
            "certificate_number": "DIGI/2026/000123",
            "next_purchase_unlocked": False,
        },
    ),
    _lp(
        "ext/oauth/redirect-uri",
        "Register a Scan Wajah callback (simulator extension)",
        "Stands in for Prakerja's registration form: `url-generate` accepts only registered "
        "callbacks (in the sandbox, loopback addresses need none).",
        forms.RedirectUriForm,
        obj({"redirect_uris": {"type": "array", "items": scalar("string")}}),
        (),
        tag="Simulator extensions",
        extension=True,
        request_example={"redirect_uri": CALLBACK_EXAMPLE},
        data_example={"redirect_uris": [CALLBACK_EXAMPLE]},
    ),
)
