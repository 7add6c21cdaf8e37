using FeedbackHub.Data;
using FeedbackHub.Data.Email;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Customers;

public sealed record OrderLine(string ExternalId, DateTimeOffset PlacedAt, decimal Total, string Currency, string? DiscountCode);

public sealed record EmailLine(DateTimeOffset CreatedAt, string Subject, EmailPurpose Purpose, OutboxStatus Status, string? Note);

public sealed record CodeLine(string Code, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RedeemedAt);

/// <summary>A customer's latest orders, emails and discount codes, newest first, as the staff detail pages show them.</summary>
public sealed record CustomerHistory(IReadOnlyList<OrderLine> Orders, IReadOnlyList<EmailLine> Emails, IReadOnlyList<CodeLine> Codes)
{
    /// <summary>How many of each a detail page lists; a long-time customer's full history is in the reports API.</summary>
    public const int Length = 50;

    public static async Task<CustomerHistory> LoadAsync(AppDbContext db, long customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId)
            .OrderByDescending(o => o.PlacedAt).Take(Length)
            .Select(o => new OrderLine(o.ExternalId, o.PlacedAt, o.Total, o.Currency, o.DiscountCode)).ToListAsync(cancellationToken);
        var emails = await db.OutboxEmails.AsNoTracking().Where(e => e.CustomerId == customerId)
            .OrderByDescending(e => e.Id).Take(Length)
            .Select(e => new EmailLine(e.CreatedAt, e.Subject, e.Purpose, e.Status, e.LastError)).ToListAsync(cancellationToken);
        var codes = await db.DiscountCodes.AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderByDescending(c => c.IssuedAt).Take(Length)
            .Select(c => new CodeLine(c.Code, c.IssuedAt, c.ExpiresAt, c.RedeemedAt)).ToListAsync(cancellationToken);
        return new CustomerHistory(orders, emails, codes);
    }
}
