using System.Security.Claims;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;

namespace FeedbackHub.Web.Features.Auditing;

/// <summary>Who did something: a staff user, or the system itself.</summary>
public sealed record Actor(string? UserId, string Name)
{
    public static Actor System { get; } = new(null, "system");

    public static Actor From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new(principal.FindFirstValue(ClaimTypes.NameIdentifier), principal.Identity?.Name ?? "unknown");
    }
}

/// <summary>
/// Adds audit entries to the caller's unit of work, so an entry is stored exactly when the change
/// it describes is stored. Targets and details pass through <see cref="SecretRedaction"/>, so a link
/// or key that slips into a description is masked.
/// </summary>
public sealed class AuditTrail(AppDbContext db, TimeProvider time)
{
    public void Add(Actor actor, string action, string? target = null, string? details = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        db.AuditLog.Add(new AuditEntry
        {
            OccurredAt = time.GetUtcNow(),
            ActorUserId = actor.UserId,
            ActorName = TextLimits.Truncate(actor.Name, FieldLengths.Email),
            Action = action,
            Target = target is null ? null : TextLimits.Truncate(SecretRedaction.Redact(target), FieldLengths.AuditTarget),
            Details = details is null ? null : TextLimits.Truncate(SecretRedaction.Redact(details), FieldLengths.AuditDetails),
        });
    }

    /// <summary>Adds an entry and saves it on its own, for events with no other change (e.g. a failed login).</summary>
    public async Task RecordAsync(Actor actor, string action, string? target = null, string? details = null,
        CancellationToken cancellationToken = default)
    {
        Add(actor, action, target, details);
        await db.SaveChangesAsync(cancellationToken);
    }
}
