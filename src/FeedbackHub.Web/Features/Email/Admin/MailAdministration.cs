using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Email.Admin;

/// <summary>What the Mail page filters the outbox by; null means any.</summary>
public sealed record OutboxFilter(OutboxStatus? Status = null, EmailPurpose? Purpose = null, string? Search = null);

/// <summary>One outbox row as the list shows it (no bodies: they are loaded for the preview only).</summary>
public sealed record OutboxRow(
    long Id, string IdempotencyKey, EmailPurpose Purpose, OutboxStatus Status, string ToAddress, string Subject,
    string? Template, string? Locale, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NotBefore, DateTimeOffset? SentAt);

/// <summary>The Mail page's work: the outbox with filters and paging, previews, manual retries, and the suppression list.</summary>
public sealed class MailAdministration(AppDbContext db, EmailConsent consent, AuditTrail audit, TimeProvider time)
{
    public const int PageSize = 50;

    public async Task<IReadOnlyDictionary<OutboxStatus, int>> CountsAsync(CancellationToken cancellationToken) =>
        await db.OutboxEmails.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    public Task<Paged<OutboxRow>> ListAsync(OutboxFilter filter, int pageNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.OutboxEmails.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(e => e.Status == status);
        }

        if (filter.Purpose is { } purpose)
        {
            query = query.Where(e => e.Purpose == purpose);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var search = filter.Search.Trim();
            query = query.Where(e => e.ToAddress.Contains(search) || e.IdempotencyKey.Contains(search) || e.Subject.Contains(search));
        }

        return query.OrderByDescending(e => e.Id)
            .Select(e => new OutboxRow(e.Id, e.IdempotencyKey, e.Purpose, e.Status, e.ToAddress, e.Subject, e.Template, e.Locale,
                e.Attempts, e.LastError, e.CreatedAt, e.NotBefore, e.SentAt))
            .PageAsync(pageNumber, PageSize, cancellationToken);
    }

    public Task<OutboxEmail?> FindAsync(long id, CancellationToken cancellationToken) =>
        db.OutboxEmails.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    /// <summary>Puts a failed email back in the queue, due now; its Message-ID stays, so a receiver can still spot a resend.</summary>
    public async Task<OperationResult<bool>> RetryAsync(Actor actor, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var email = await db.OutboxEmails.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (email is null)
        {
            return new(false, ["This email no longer exists."]);
        }

        if (email.Status != OutboxStatus.Failed)
        {
            return new(false, [$"Only failed emails can be retried; this one is {email.Status.ToString().ToLowerInvariant()}."]);
        }

        (email.Status, email.NotBefore, email.LeaseOwner, email.LeaseUntil) = (OutboxStatus.Pending, time.GetUtcNow(), null, null);
        audit.Add(actor, AuditActions.EmailRetried, email.IdempotencyKey, $"to {email.ToAddress}; {email.Attempts} attempts so far");
        await db.SaveChangesAsync(cancellationToken);
        return new(true, []);
    }

    public Task<Paged<Suppression>> SuppressionsAsync(string? search, int pageNumber, CancellationToken cancellationToken)
    {
        var query = db.Suppressions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var normalized = Suppression.Normalize(search);
            query = query.Where(s => s.Address.Contains(normalized));
        }

        return query.OrderByDescending(s => s.Id).PageAsync(pageNumber, PageSize, cancellationToken);
    }

    /// <summary>A suppression staff add by hand, e.g. for a complaint that reached the shop by phone.</summary>
    public async Task<OperationResult<bool>> AddSuppressionAsync(
        Actor actor, string address, SuppressionScope scope, SuppressionReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var trimmed = address?.Trim() ?? "";
        if (!EmailAddresses.IsPlain(trimmed))
        {
            return new(false, [$"'{trimmed}' is not a valid email address."]);
        }

        await consent.SuppressAsync(trimmed, scope, reason, $"staff: {actor.Name}", time.GetUtcNow(), cancellationToken);
        audit.Add(actor, AuditActions.SuppressionAdded, Suppression.Normalize(trimmed), $"{reason} ({scope})");
        await db.SaveChangesAsync(cancellationToken);
        return new(true, []);
    }

    /// <summary>Takes an address off the list, e.g. after the customer asked to hear from the shop again.</summary>
    public async Task<OperationResult<bool>> RemoveSuppressionAsync(Actor actor, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var suppression = await db.Suppressions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (suppression is null)
        {
            return new(false, ["This suppression was already removed."]);
        }

        db.Suppressions.Remove(suppression);
        audit.Add(actor, AuditActions.SuppressionRemoved, suppression.Address, $"{suppression.Reason} ({suppression.Scope}) since {suppression.CreatedAt:yyyy-MM-dd}");
        await db.SaveChangesAsync(cancellationToken);
        return new(true, []);
    }
}
