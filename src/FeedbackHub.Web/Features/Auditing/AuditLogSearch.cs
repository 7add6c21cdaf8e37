using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Auditing;

/// <summary>
/// What the audit page filters on: one action, part of the actor's name, a range of UTC days (both
/// ends included) and part of the target or details (as typed, like the customer search).
/// </summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, DateOnly? From = null, DateOnly? To = null, string? Text = null)
{
    public static AuditFilter None { get; } = new();

    public bool IsEmpty => this == None || (string.IsNullOrWhiteSpace(Action) && string.IsNullOrWhiteSpace(Actor) && From is null && To is null && string.IsNullOrWhiteSpace(Text));
}

/// <summary>Reads the audit log for the admin's audit page, newest first.</summary>
public sealed class AuditLogSearch(AppDbContext db)
{
    public const int PageSize = 50;

    public Task<Paged<AuditEntry>> SearchAsync(AuditFilter filter, int pageNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var entries = db.AuditLog.AsNoTracking();
        if (TextLimits.SearchTerm(filter.Action) is { } action)
        {
            entries = entries.Where(a => a.Action == action);
        }

        if (TextLimits.SearchTerm(filter.Actor) is { } actor)
        {
            entries = entries.Where(a => a.ActorName.Contains(actor));
        }

        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(a => a.OccurredAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(a => a.OccurredAt < end);
        }

        if (TextLimits.SearchTerm(filter.Text) is { } text)
        {
            entries = entries.Where(a => (a.Target != null && a.Target.Contains(text)) || (a.Details != null && a.Details.Contains(text)));
        }

        return entries.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).PageAsync(pageNumber, PageSize, cancellationToken);
    }
}
