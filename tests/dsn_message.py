"""A delivery-status notification as a mail server sends it (RFC 3464), for bounce tests."""

from __future__ import annotations


def dsn(
    recipient: str,
    *,
    key_header: str | None,
    message_id: str = "<unrelated@mail.example>",
    action: str = "failed",
    report_type: str = "delivery-status",
    date: str = "Mon, 14 Dec 2026 09:05:00 +0000",
) -> bytes:
    """A bounce of a message to `recipient` that carried `key_header` (or none)."""
    returned = f"Message-ID: {message_id}\r\nTo: {recipient}\r\nSubject: Re: Your project\r\n"
    if key_header is not None:
        returned += f"X-Sales-Agent-Key: {key_header}\r\n"
    return (
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\n"
        "To: dana@chaingepartners.example\r\n"
        "Subject: Delivery Status Notification (Failure)\r\n"
        "Message-ID: <dsn.1@mx.example>\r\n"
        f"Date: {date}\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type={report_type}; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Your message wasn't delivered to {recipient} because the address couldn't be found.\r\n"
        "--b1\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        f"{returned}"
        "--b1--\r\n"
    ).encode()
