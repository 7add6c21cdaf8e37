using FeedbackHub.Data;
using FeedbackHub.Data.Analytics;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Database;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>Customers whose share of orders with a discount falls in one range.</summary>
/// <param name="Customers">Customers in the range.</param>
/// <param name="Percent">Their share of all the period's buyers.</param>
/// <param name="Label">The range, each including its upper edge: "0 %", "&gt;0–25 %", "&gt;25–50 %", "&gt;50–75 %", "&gt;75–&lt;100 %" or "100 %".</param>
public sealed record DiscountShareGroup(string Label, int Customers, decimal? Percent);

/// <summary>How the period's buyers spread over the share of their orders bought with a discount.</summary>
/// <param name="Period">The period whose orders count.</param>
/// <param name="Customers">Customers with at least one order in the period.</param>
/// <param name="Distribution">The six ranges, from no discount to all orders with one.</param>
public sealed record DiscountDependency(ReportPeriod Period, int Customers, IReadOnlyList<DiscountShareGroup> Distribution);

/// <summary>A customer a campaign with the report's settings would give no offer, and why in the campaigns' own words.</summary>
public sealed record NotWorthAnOffer(
    long CustomerId, string ExternalId, string? FirstName, string? LastName, string Email, string Language,
    int Orders, int WithDiscount, bool FlaggedBySupport, ExclusionRule Rule, string Reason)
{
    /// <summary>Share of the orders with a discount, in percent.</summary>
    public decimal? DiscountPercent => Percentages.Of(WithDiscount, Orders);
}

/// <summary>
/// Discount dependency: over the orders placed in a period, the share of each buyer's orders that carried a
/// discount code, spread over ranges; and the customers that campaigns can exclude from retention offers.
/// Who is excluded is decided by the campaigns' own rule (<see cref="ThankYouRules.Exclude"/>: flagged by
/// support, or more than a threshold share of earlier orders with a discount), judged as at the customer's
/// next order with their whole order history, exactly as a campaign would decide now. That list reads the
/// <see cref="DiscountHistory"/> summary (<see cref="ReportSummaries"/>), not the period's orders.
/// </summary>
public sealed class DiscountDependencyReport(AppDbContext db, DatabaseSettings settings, ReportSummaries summaries)
{
    public const int PageSize = 25;

    /// <summary>
    /// The default threshold: above 99 % are the customers who only bought with a discount (any customer
    /// with fewer than 100 orders). A threshold stays below 1, as campaigns take it.
    /// </summary>
    public const decimal OnlyWithDiscount = 0.99m;

    private static readonly string[] Labels = ["0 %", ">0–25 %", ">25–50 %", ">50–75 %", ">75–<100 %", "100 %"];

    public async Task<DiscountDependency> DistributionAsync(ReportPeriod period, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        // Integer comparisons keep the range edges exact: a quarter is 4 × discounted ≤ orders.
        var counts = await Buyers(period, filter)
            .Select(b => b.WithDiscount == 0 ? 0
                : b.WithDiscount == b.Orders ? 5
                : b.WithDiscount * 4 <= b.Orders ? 1
                : b.WithDiscount * 2 <= b.Orders ? 2
                : b.WithDiscount * 4 <= b.Orders * 3 ? 3
                : 4)
            .GroupBy(range => range)
            .Select(g => new { Range = g.Key, Customers = g.Count() })
            .ToDictionaryAsync(g => g.Range, g => g.Customers, cancellationToken);
        var customers = counts.Values.Sum();
        return new DiscountDependency(period, customers, [.. Labels.Select((label, range) =>
            new DiscountShareGroup(label, counts.GetValueOrDefault(range), Percentages.Of(counts.GetValueOrDefault(range), customers)))]);
    }

    /// <summary>
    /// The filter's customers with orders whom a campaign that excludes flagged customers and those with more than
    /// <paramref name="discountShareAbove"/> (0 to below 1) of their orders with a discount would give no offer at
    /// their next order: flagged ones first, then by share and number of orders.
    /// </summary>
    public async Task<Paged<NotWorthAnOffer>> NotWorthAnOfferAsync(
        CustomerFilter filter, decimal discountShareAbove, int pageNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await summaries.CatchUpAsync(cancellationToken);
        var rules = new Campaign { Name = nameof(DiscountDependencyReport), ExcludeFlaggedCustomers = true, ExcludeDiscountShareAbove = discountShareAbove };
        var page = await (
                from history in db.DiscountHistories
                join customer in filter.Apply(db) on history.CustomerId equals customer.Id
                select new Judged { Customer = customer, Orders = history.Orders, WithDiscount = history.WithDiscount })
            .Where(ThankYouRules.ExcludedWhere<Judged>(rules, b => b.Customer.FlaggedBySupport, b => b.Orders, b => b.WithDiscount))
            .OrderByDescending(b => b.Customer.FlaggedBySupport)
            .ThenByDescending(b => (double)b.WithDiscount / b.Orders)
            .ThenByDescending(b => b.Orders)
            .ThenBy(b => b.Customer.Id)
            .Select(b => new { b.Customer.Id, b.Customer.ExternalId, b.Customer.FirstName, b.Customer.LastName, b.Customer.Email, b.Customer.Locale, b.Customer.FlaggedBySupport, b.Orders, b.WithDiscount })
            .PageAsync(pageNumber, PageSize, cancellationToken);
        return new Paged<NotWorthAnOffer>([.. page.Rows.Select(b =>
        {
            // The campaigns' own decision and words; the database already chose these rows by the same rule.
            var exclusion = ThankYouRules.Exclude(rules, b.FlaggedBySupport, new OrderHistory(b.Orders + 1, b.WithDiscount))!;
            return new NotWorthAnOffer(b.Id, b.ExternalId, b.FirstName, b.LastName, b.Email, b.Locale, b.Orders, b.WithDiscount, b.FlaggedBySupport, exclusion.Rule, exclusion.Reason);
        })], page.Total, page.PageNumber, page.PageSize);
    }

    /// <summary>Fills <see cref="DiscountHistory"/> for the customers <paramref name="customers"/> keeps, from all their orders. Fixed SQL only.</summary>
    internal static string SummaryInsert(Func<string, string> customers) => $"""
        INSERT INTO "DiscountHistories" ("CustomerId", "Orders", "WithDiscount")
        SELECT o."CustomerId", COUNT(*), COUNT(o."DiscountCode")
        FROM "Orders" AS o
        WHERE {customers("o.\"CustomerId\"")}
        GROUP BY o."CustomerId"
        """;

    /// <summary>The filter's customers with at least one order in the period, with how many of those orders carried a discount code.</summary>
    private IQueryable<Buyer> Buyers(ReportPeriod period, CustomerFilter filter)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new ProviderSql(settings.Provider);
        // Hand-written only to tell SQLite which index to read (see ProviderSql.OrdersByCustomer); both databases
        // fold it into the query around it, so the filter narrows the orders before they are counted.
        // Only fixed SQL fragments are interpolated; values travel as parameters.
        var statement = $$"""
            SELECT o."CustomerId", o."DiscountCode"
            FROM "Orders" AS o {{sql.OrdersByCustomer}}
            WHERE o."PlacedAt" >= {0} AND o."PlacedAt" < {1}
            """;
        var orders = db.Database.SqlQueryRaw<PeriodOrder>(statement, sql.Time(period.Start), sql.Time(period.End));
        if (!filter.KeepsEveryone)
        {
            // Every order has its customer by foreign key: without a filter the customers stay out of the query.
            var customers = filter.Apply(db);
            orders = orders.Where(o => customers.Any(c => c.Id == o.CustomerId));
        }

        return orders
            .GroupBy(o => o.CustomerId)
            .Select(g => new Buyer { CustomerId = g.Key, Orders = g.Count(), WithDiscount = g.Count(o => o.DiscountCode != null) });
    }

    /// <summary>A buyer with the customer row the exclusion rule reads the support flag from.</summary>
    private sealed class Judged
    {
        public required Customer Customer { get; init; }

        public int Orders { get; init; }

        public int WithDiscount { get; init; }
    }

    private sealed record PeriodOrder(long CustomerId, string? DiscountCode);

    private sealed class Buyer
    {
        public long CustomerId { get; init; }

        public int Orders { get; init; }

        public int WithDiscount { get; init; }
    }
}
