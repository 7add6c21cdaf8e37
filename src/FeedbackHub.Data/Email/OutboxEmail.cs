namespace FeedbackHub.Data.Email;

public enum OutboxStatus
{
    /// <summary>Waiting to be sent (or to be retried at <see cref="OutboxEmail.NotBefore"/>).</summary>
    Pending,
    Sent,

    /// <summary>Given up: a permanent refusal, or transient failures for longer than the give-up time.</summary>
    Failed,

    /// <summary>Not sent on purpose: suppressed, no consent, or over the fatigue cap (the reason is in <see cref="OutboxEmail.LastError"/>).</summary>
    Skipped,
}

/// <summary>Why an email is sent, which decides the consent rules that apply to it.</summary>
public enum EmailPurpose
{
    /// <summary>Account mail for staff (invitations, password links): never suppressed by marketing preferences.</summary>
    Transactional,
    Offer,
    Survey,
}

/// <summary>
/// One email to send, written in the same transaction as the change that caused it. The dispatcher
/// claims due rows with a lease, so a crashed sender's rows are picked up again after the lease.
/// </summary>
public sealed class OutboxEmail
{
    public long Id { get; set; }

    /// <summary>What this email is about, e.g. <c>thank-you:o-1001</c>; queuing the same key twice keeps one row.</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>Stable across retries, so a receiving server can recognise a resend.</summary>
    public required string MessageId { get; set; }

    public EmailPurpose Purpose { get; set; }

    public OutboxStatus Status { get; set; }

    public required string ToAddress { get; set; }

    public string? ToName { get; set; }

    public long? CustomerId { get; set; }

    /// <summary>The recipient's IANA time zone, for quiet hours; null for staff mail, which has none.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The template it was rendered from and its language, for the Mail page's filters.</summary>
    public string? Template { get; set; }

    public string? Locale { get; set; }

    public required string Subject { get; set; }

    public required string HtmlBody { get; set; }

    public required string TextBody { get; set; }

    public string? ListUnsubscribeUrl { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not to be sent before this time (a send delay, quiet hours or a retry backoff).</summary>
    public DateTimeOffset NotBefore { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>The dispatcher instance holding the row, until <see cref="LeaseUntil"/>.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}
