namespace FeedbackHub.Data.Auditing;

/// <summary>One thing a staff member (or the system on their behalf) did, kept for accountability.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The staff user who acted; null for the system or an unauthenticated attempt.</summary>
    public string? ActorUserId { get; set; }

    /// <summary>Who acted, as shown to people (email or "system"); kept even if the user is deleted.</summary>
    public required string ActorName { get; set; }

    /// <summary>Dotted verb such as <c>staff.invited</c>; see <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary>What the action was about, e.g. <c>staff:1f2e…</c>.</summary>
    public string? Target { get; set; }

    /// <summary>Human-readable details; never secrets or tokens.</summary>
    public string? Details { get; set; }
}
