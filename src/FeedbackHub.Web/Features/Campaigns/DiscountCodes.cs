using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>Why a code cannot be used; each gets its own answer so a checkout can tell the customer.</summary>
public enum CodeProblem
{
    None,
    Unknown,
    Expired,
    AlreadyUsed,
    BelowMinimum,
}

/// <summary>What a code is worth, as the shop's checkout needs it.</summary>
public sealed record CodeDetails(
    string Code, DiscountKind DiscountKind, decimal DiscountValue, decimal? MinimumOrderValue, string Currency,
    DateTimeOffset ExpiresAt, DateTimeOffset? RedeemedAt, string? RedeemedOrderId);

public sealed record CodeCheck(CodeProblem Problem, CodeDetails? Details, string? Message)
{
    public bool Usable => Problem == CodeProblem.None;
}

/// <summary>
/// Validates and redeems discount codes. Redemption is one conditional UPDATE (not yet used, not
/// expired), so of any number of concurrent attempts exactly one changes the row and succeeds.
/// </summary>
public sealed class DiscountCodes(AppDbContext db, TimeProvider time)
{
    /// <summary>Checks a code without using it; <paramref name="orderTotal"/> also checks the minimum order value.</summary>
    public async Task<CodeCheck> CheckAsync(string code, decimal? orderTotal, CancellationToken cancellationToken)
    {
        var row = await FindAsync(code, cancellationToken);
        return row is null ? Unknown : Judge(row, orderTotal, time.GetUtcNow());
    }

    /// <summary>
    /// Uses the code for an order. Using it again for the same order answers as the first time
    /// (a shop may retry after a timeout); any other second use is refused.
    /// </summary>
    public async Task<CodeCheck> RedeemAsync(string code, string orderId, decimal orderTotal, CancellationToken cancellationToken)
    {
        var row = await FindAsync(code, cancellationToken);
        if (row is null)
        {
            return Unknown;
        }

        var now = time.GetUtcNow();
        var check = Judge(row, orderTotal, now);
        if (check.Problem == CodeProblem.AlreadyUsed && row.RedeemedOrderExternalId == orderId)
        {
            return new CodeCheck(CodeProblem.None, check.Details, "Already redeemed for this order.");
        }

        if (!check.Usable)
        {
            return check;
        }

        var changed = await db.DiscountCodes
            .Where(c => c.Id == row.Id && c.RedeemedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RedeemedAt, now).SetProperty(c => c.RedeemedOrderExternalId, orderId), cancellationToken);
        if (changed == 1)
        {
            return new CodeCheck(CodeProblem.None, Details(row, now, orderId), "Redeemed.");
        }

        // Someone else was first: answer from what is stored now.
        var current = await db.DiscountCodes.AsNoTracking().SingleAsync(c => c.Id == row.Id, cancellationToken);
        return current.RedeemedOrderExternalId == orderId
            ? new CodeCheck(CodeProblem.None, Details(current, current.RedeemedAt, orderId), "Already redeemed for this order.")
            : Judge(current, orderTotal, now);
    }

    /// <summary>
    /// Records our codes that arrived on orders the shop sent: the shop already applied them, so the
    /// minimum and expiry are not judged again, but a code already used stays with its first order.
    /// Returns how many codes were marked used.
    /// </summary>
    public async Task<int> RedeemFromOrdersAsync(IReadOnlyList<string> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        var orders = (await db.Orders.AsNoTracking()
                // One parameter for the whole list: as 20,000 separate parameters SQLite took seconds per chunk.
                .Where(o => EF.Parameter(orderIds).Contains(o.ExternalId) && o.DiscountCode != null)
                .Select(o => new { o.ExternalId, o.DiscountCode, o.PlacedAt })
                .ToListAsync(cancellationToken))
            .Select(o => (o.ExternalId, Code: DiscountCodeFormat.Normalize(o.DiscountCode), o.PlacedAt))
            .Where(o => o.Code is not null)
            .ToList();
        if (orders.Count == 0)
        {
            return 0;
        }

        // Most codes on orders are the shop's own; one query finds the few that are ours and open.
        var canonical = orders.Select(o => o.Code!).Distinct().ToList();
        var open = (await db.DiscountCodes.Where(c => canonical.Contains(c.Code) && c.RedeemedAt == null).Select(c => c.Code).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var redeemed = 0;
        foreach (var (orderId, code, placedAt) in orders.Where(o => open.Contains(o.Code!)))
        {
            redeemed += await db.DiscountCodes
                .Where(c => c.Code == code && c.RedeemedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RedeemedAt, placedAt).SetProperty(c => c.RedeemedOrderExternalId, orderId), cancellationToken);
        }

        return redeemed;
    }

    private static CodeCheck Unknown { get; } = new(CodeProblem.Unknown, null, "No such code.");

    private Task<DiscountCode?> FindAsync(string code, CancellationToken cancellationToken)
    {
        var canonical = DiscountCodeFormat.Normalize(code);
        return canonical is null
            ? Task.FromResult<DiscountCode?>(null)
            : db.DiscountCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == canonical, cancellationToken);
    }

    private static CodeCheck Judge(DiscountCode code, decimal? orderTotal, DateTimeOffset now)
    {
        var details = Details(code, code.RedeemedAt, code.RedeemedOrderExternalId);
        if (code.RedeemedAt is { } redeemed)
        {
            return new(CodeProblem.AlreadyUsed, details, $"This code was already used on {redeemed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
        }

        if (code.ExpiresAt <= now)
        {
            return new(CodeProblem.Expired, details, $"This code expired on {code.ExpiresAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
        }

        if (orderTotal is { } total && code.MinimumOrderValue is { } minimum && total < minimum)
        {
            return new(CodeProblem.BelowMinimum, details,
                $"This code needs an order of at least {minimum.ToString("0.00", CultureInfo.InvariantCulture)} {code.Currency}; the order is {total.ToString("0.00", CultureInfo.InvariantCulture)}.");
        }

        return new(CodeProblem.None, details, "Valid.");
    }

    private static CodeDetails Details(DiscountCode code, DateTimeOffset? redeemedAt, string? orderId) =>
        new(code.Code, code.DiscountKind, code.DiscountValue, code.MinimumOrderValue, code.Currency, code.ExpiresAt, redeemedAt, orderId);
}
