using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Web.Features.Analytics;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Customers;

/// <summary>One customer as the search list shows them.</summary>
public sealed record CustomerRow(long Id, string Name, string Email, string ExternalId, string Language, int Orders, DateTimeOffset? LastOrderAt, bool Churned, bool Flagged);

/// <summary>A churn event on the customer's page, with the reason they gave if they answered.</summary>
public sealed record ChurnLine(long EventId, ChurnKind Kind, DateTimeOffset ChurnedAt, string Explanation, DateTimeOffset? WonBackAt, string? Reason, string? Comment);

/// <summary>The customer's group in a thank-you campaign: a variant's name, or null for the hold-out.</summary>
public sealed record CampaignLine(long CampaignId, string Campaign, string? Variant, DateTimeOffset AssignedAt);

/// <summary>
/// Everything staff see about one customer. Orders with a discount are orders that carried any
/// discount code, the same test the campaigns' discount-dependency exclusion uses.
/// </summary>
public sealed record CustomerProfile(
    Customer Customer, int Orders, int DiscountedOrders, IReadOnlyList<(string Currency, decimal Revenue)> Revenue, DateTimeOffset? FirstOrderAt,
    IReadOnlyList<ChurnLine> Churns, IReadOnlyList<CampaignLine> Campaigns, CustomerHistory History)
{
    public string Name => CustomerDirectory.DisplayName(Customer.FirstName, Customer.LastName);

    public decimal? DiscountSharePercent => Orders == 0 ? null : Math.Round(DiscountedOrders * 100m / Orders, 1, MidpointRounding.AwayFromZero);

    public bool IsChurned => Churns.Any(c => c.WonBackAt is null);
}

/// <summary>Customer search and the customer page, for every staff role.</summary>
public sealed class CustomerDirectory(AppDbContext db)
{
    public const int PageSize = 25;

    public static string DisplayName(string? firstName, string? lastName) => $"{firstName} {lastName}".Trim();

    /// <summary>
    /// Customers matching <paramref name="search"/> (part of the email address, the shop's customer id,
    /// or the first or last name, as typed) and the dashboards' filter; newest customers first.
    /// </summary>
    public Task<Paged<CustomerRow>> SearchAsync(string? search, CustomerFilter filter, int pageNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var customers = filter.Apply(db).AsNoTracking();
        if (TextLimits.SearchTerm(search) is { } term)
        {
            customers = customers.Where(c => c.Email.Contains(term) || c.ExternalId.Contains(term)
                || (c.FirstName != null && c.FirstName.Contains(term)) || (c.LastName != null && c.LastName.Contains(term)));
        }

        return customers.OrderByDescending(c => c.Id)
            .Select(c => new CustomerRow(
                c.Id, ((c.FirstName ?? "") + " " + (c.LastName ?? "")).Trim(), c.Email, c.ExternalId, c.Locale,
                c.Orders.Count(), c.Orders.Max(o => (DateTimeOffset?)o.PlacedAt),
                db.ChurnEvents.Any(e => e.CustomerId == c.Id && e.WonBackAt == null), c.FlaggedBySupport))
            .PageAsync(pageNumber, PageSize, cancellationToken);
    }

    public async Task<CustomerProfile?> ProfileAsync(long customerId, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        // One customer's order totals are few enough to add up here; SQLite cannot sum decimals itself.
        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId)
            .Select(o => new { o.Total, o.Currency, Discounted = o.DiscountCode != null, o.PlacedAt }).ToListAsync(cancellationToken);
        var churns = await (
                from e in db.ChurnEvents.AsNoTracking()
                where e.CustomerId == customerId
                let response = db.SurveyResponses.FirstOrDefault(r => r.Invitation!.ChurnEventId == e.Id)
                orderby e.ChurnedAt descending
                select new ChurnLine(e.Id, e.Kind, e.ChurnedAt, e.Explanation, e.WonBackAt, response != null ? response.EffectiveReason : null, response != null ? response.Comment : null))
            .ToListAsync(cancellationToken);
        var campaigns = await (
                from a in db.CampaignAssignments.AsNoTracking()
                join c in db.Campaigns on a.CampaignId equals c.Id
                where a.CustomerId == customerId
                orderby a.AssignedAt descending
                select new CampaignLine(c.Id, c.Name, db.CampaignVariants.Where(v => v.Id == a.VariantId).Select(v => v.Name).FirstOrDefault(), a.AssignedAt))
            .ToListAsync(cancellationToken);
        return new CustomerProfile(
            customer, orders.Count, orders.Count(o => o.Discounted),
            [.. orders.GroupBy(o => o.Currency, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(o => o.Total)))],
            orders.Count == 0 ? null : orders.Min(o => o.PlacedAt),
            churns, campaigns, await CustomerHistory.LoadAsync(db, customerId, cancellationToken));
    }
}
