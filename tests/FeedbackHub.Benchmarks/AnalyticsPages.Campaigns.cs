using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Campaigns;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Benchmarks;

/// <summary>The campaigns page: every campaign's headline figures, then discount dependency.</summary>
internal static partial class AnalyticsPages
{
    /// <summary>
    /// Per campaign, all variants together and the hold-out: customers, codes issued and redeemed, and per window
    /// (30, 60, 90 days) the matured customers and the repeaters. The floor leaves out revenue, discount cost and
    /// what is derived from them (uplift, incremental figures), which the report computes from these and the orders' totals.
    /// Groups without customers are left out on both sides (the report shows them as zeros).
    /// </summary>
    private static AnalyticsFigure Campaigns() => new(
        "campaigns: customers, codes, matured and repeaters per group",
        async run =>
        {
            var report = new CampaignReport(run.Db, run.Summaries, run.Clock, Options.Create(new AnalyticsOptions()));
            var overview = await report.CampaignsAsync(run.Period, CustomerFilter.All, CancellationToken.None);
            return [.. overview.Campaigns
                .SelectMany(c => new[] { (c.Id, Name: "variants", Group: c.AllVariants), (c.Id, Name: "holdout", Group: c.Holdout) })
                .Where(g => g.Group.Customers > 0)
                .Select(g => Invariant($"{g.Id}|{g.Name}|{g.Group.Customers}|{g.Group.CodesIssued}|{g.Group.CodesRedeemed}|{string.Join('|', g.Group.Windows.Select(w => Invariant($"{w.Matured}|{w.Repeaters}")))}"))];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            var now = run.Clock.GetUtcNow();
            // Matured in a window: the anchor lies at least that many days before now. A repeater: the customer's
            // next order after the anchor came within the window.
            var windows = CampaignReport.WindowDays.SelectMany(days => new[]
            {
                $"COUNT(CASE WHEN k.anchor_at <= {floor.Time(now.AddDays(-days))} THEN 1 END)",
                $"COUNT(CASE WHEN k.anchor_at <= {floor.Time(now.AddDays(-days))} AND k.next_at <= {run.Sql.AddDays("k.anchor_at", Invariant($"{days}"))} THEN 1 END)",
            });
            const string group = "CASE WHEN k.\"VariantId\" IS NULL THEN 'holdout' ELSE 'variants' END";
            var (start, end) = (floor.Time(run.Period.Start), floor.Time(run.Period.End));
            return floor.Build($"""
                WITH in_period AS (
                    -- Each customer's first order in the period that a campaign decided on (anything but excluded).
                    SELECT t."CampaignId", t."CustomerId", MIN(o."PlacedAt") AS anchor_at
                    FROM "ThankYous" AS t JOIN "Orders" AS o ON o."Id" = t."OrderId"
                    WHERE t."Outcome" <> 'Excluded' AND o."PlacedAt" >= {start} AND o."PlacedAt" < {end}
                    GROUP BY t."CampaignId", t."CustomerId"
                ),
                anchored AS (
                    SELECT f."CampaignId", f."CustomerId", f.anchor_at, a."VariantId",
                           (SELECT MAX(t."DiscountCodeId") FROM "ThankYous" AS t WHERE t."CampaignId" = f."CampaignId" AND t."CustomerId" = f."CustomerId") AS code_id,
                           (SELECT MIN(n."PlacedAt") FROM "Orders" AS n WHERE n."CustomerId" = f."CustomerId" AND n."PlacedAt" > f.anchor_at) AS next_at
                    FROM in_period AS f
                    JOIN "CampaignAssignments" AS a ON a."CampaignId" = f."CampaignId" AND a."CustomerId" = f."CustomerId"
                    -- Not when the campaign had decided on one of the customer's orders before the period.
                    WHERE NOT EXISTS (
                        SELECT 1 FROM "ThankYous" AS t JOIN "Orders" AS o ON o."Id" = t."OrderId"
                        WHERE t."CampaignId" = f."CampaignId" AND t."CustomerId" = f."CustomerId" AND t."Outcome" <> 'Excluded' AND o."PlacedAt" < {start})
                )
                SELECT {FloorBuilder.Joined([
                    "k.\"CampaignId\"", group, "COUNT(*)", "COUNT(k.code_id)", "COUNT(d.\"RedeemedAt\")", .. windows])}
                FROM anchored AS k LEFT JOIN "DiscountCodes" AS d ON d."Id" = k.code_id
                GROUP BY k."CampaignId", {group}
                """);
        });

    /// <summary>
    /// Rows: the range's index (0 %, …, 100 % of orders with a discount) and its buyers, for the ranges with any. On SQLite
    /// the floors read the orders in customer order, as the report does: grouping them from the date index takes ten times as long.
    /// </summary>
    private static AnalyticsFigure DiscountDependency() => new(
        "discount dependency distribution",
        async run =>
        {
            var dependency = await new DiscountDependencyReport(run.Db, run.Settings, run.Summaries).DistributionAsync(run.Period, CustomerFilter.All, CancellationToken.None);
            return [.. dependency.Distribution.Select((g, range) => (g, range)).Where(r => r.g.Customers > 0).Select(r => Invariant($"{r.range}|{r.g.Customers}"))];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            return floor.Build($"""
                SELECT CASE WHEN b.d = 0 THEN 0 WHEN b.d = b.n THEN 5 WHEN 4 * b.d <= b.n THEN 1 WHEN 2 * b.d <= b.n THEN 2 WHEN 4 * b.d <= 3 * b.n THEN 3 ELSE 4 END,
                       COUNT(*)
                FROM (
                    SELECT o."CustomerId", COUNT(*) AS n, COUNT(o."DiscountCode") AS d
                    FROM "Orders" AS o {run.Sql.OrdersByCustomer}
                    WHERE o."PlacedAt" >= {floor.Time(run.Period.Start)} AND o."PlacedAt" < {floor.Time(run.Period.End)}
                    GROUP BY o."CustomerId"
                ) AS b
                GROUP BY 1
                """);
        });

    /// <summary>The first page of customers a campaign would give no offer at their next order (whole history). Rows: "total", and per row its place, the customer, orders, with a discount, flagged (1/0).</summary>
    private static AnalyticsFigure NotWorthAnOffer() => new(
        "customers not worth an offer, first page",
        async run =>
        {
            var page = await new DiscountDependencyReport(run.Db, run.Settings, run.Summaries)
                .NotWorthAnOfferAsync(CustomerFilter.All, DiscountDependencyReport.OnlyWithDiscount, 1, CancellationToken.None);
            return
            [
                Invariant($"total|{page.Total}"),
                .. page.Rows.Select((c, i) => Invariant($"row|{i}|{c.CustomerId}|{c.Orders}|{c.WithDiscount}|{(c.FlaggedBySupport ? 1 : 0)}")),
            ];
        },
        run =>
        {
            var floor = new FloorBuilder(run);
            // Flagged by support, or more than the threshold (in ten-thousandths) of all their orders with a discount.
            var threshold = ThankYouRules.InShareScale(DiscountDependencyReport.OnlyWithDiscount);
            const string order = "p.flagged DESC, p.d * 1.0 / p.n DESC, p.n DESC, p.\"CustomerId\"";
            return floor.Build($"""
                WITH buyers AS (
                    SELECT o."CustomerId", COUNT(*) AS n, COUNT(o."DiscountCode") AS d
                    FROM "Orders" AS o {run.Sql.OrdersByCustomer}
                    GROUP BY o."CustomerId"
                ),
                kept_out AS (
                    SELECT b."CustomerId", b.n, b.d, CASE WHEN c."FlaggedBySupport" THEN 1 ELSE 0 END AS flagged
                    FROM buyers AS b JOIN "Customers" AS c ON c."Id" = b."CustomerId"
                    WHERE c."FlaggedBySupport" OR b.d * {ThankYouRules.ShareScale} > {threshold} * b.n
                )
                SELECT {FloorBuilder.Joined("'total'", "COUNT(*)")} FROM kept_out
                UNION ALL
                SELECT {FloorBuilder.Joined("'row'", $"ROW_NUMBER() OVER (ORDER BY {order}) - 1", "p.\"CustomerId\"", "p.n", "p.d", "p.flagged")}
                FROM (SELECT k.* FROM kept_out AS k ORDER BY {order.Replace("p.", "k.", StringComparison.Ordinal)} LIMIT {DiscountDependencyReport.PageSize}) AS p
                """);
        });
}
