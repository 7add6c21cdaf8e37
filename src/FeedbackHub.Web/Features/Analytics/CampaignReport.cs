using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Analytics;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>
/// What a thank-you campaign changed, per variant against its hold-out, counted in the database in one
/// statement. The definitions, so every figure can be checked by hand:
/// <list type="bullet">
/// <item><b>Group</b>: the customer's stored assignment in the campaign (a variant, or the hold-out).</item>
/// <item><b>Anchor</b>: the customer's first order that the campaign decided on other than "excluded" (a
/// thank-you with a code, or the hold-out's treatment): the order that put them in their group, found the
/// same way for both. An order the campaign excluded earlier does not count: the customer was in no group yet.</item>
/// <item><b>Period</b>: a customer counts when their anchor order was placed in it (days in the shop's time zone, <see cref="ReportPeriod"/>).</item>
/// <item><b>Codes issued / redeemed</b>: the code the campaign's thank-you gave the customer, and whether it was used
/// (at any time so far). Win-back codes drawn on the campaign are not the thank-you's and do not count; the hold-out has none.</item>
/// <item><b>Repeat purchase within N days</b> (N = 30, 60, 90): another order placed after the anchor order and at most
/// N × 24 hours after it. Only <b>matured</b> customers count, whose anchor is at least N × 24 hours before now.</item>
/// <item><b>Revenue</b> in a window: the totals (after discount) of those repeat orders, in the campaign's currency (orders in
/// other currencies are repeats, but add no revenue). <b>Discount cost</b>: what the thank-you code took off the repeat order it was
/// redeemed on, when that order is in the window: a fixed amount as is, a percentage p of an order that paid T as T × p ÷ (100 − p).</item>
/// <item>Uplift, incremental revenue and margin (with the setting <c>Analytics:GrossMarginPercent</c>), and cost per retained
/// customer: see <see cref="HoldoutComparison"/>. Money is in the campaign's currency, rounded to cents half away from zero.</item>
/// </list>
/// Each customer's anchor, group, code and windows are kept in the <see cref="CampaignOutcome"/> summary, brought up to date
/// before the figures are read, so the report adds up a row per customer anchored in the period.
/// </summary>
public sealed class CampaignReport(AppDbContext db, ReportSummaries summaries, TimeProvider time, IOptions<AnalyticsOptions> options)
{
    /// <summary>The repeat-purchase windows, in days (<see cref="GroupTally"/> has a set of columns for each).</summary>
    public static IReadOnlyList<int> WindowDays { get; } = [30, 60, 90];

    /// <summary>Every campaign (by name) with its headline figures; campaigns without customers in the period show zeros.</summary>
    public async Task<CampaignOverview> CampaignsAsync(ReportPeriod period, CustomerFilter filter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var campaigns = await db.Campaigns.AsNoTracking().Include(c => c.Variants).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var tallies = await TalliesAsync(null, period, filter, now, cancellationToken);
        return new(PeriodView.Of(period), now, GrossMarginPercent, [.. campaigns.Select(c => Figures(c, tallies).Summary)]);
    }

    /// <summary>One campaign's table; null when there is no such campaign.</summary>
    public async Task<CampaignDetail?> CampaignAsync(long id, ReportPeriod period, CustomerFilter filter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Variants).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return null;
        }

        var (summary, variants) = Figures(campaign, await TalliesAsync(id, period, filter, now, cancellationToken));
        return new(PeriodView.Of(period), now, GrossMarginPercent, summary, variants);
    }

    private decimal GrossMarginPercent => options.Value.GrossMarginPercent;

    private (CampaignSummary Summary, IReadOnlyList<CampaignGroup> Variants) Figures(Campaign campaign, List<GroupTally> tallies)
    {
        CampaignGroup Group(long? variantId, string name) =>
            (tallies.Find(t => t.CampaignId == campaign.Id && t.VariantId == variantId) ?? new GroupTally()).ToGroup(variantId, name, isHoldout: variantId is null);

        var holdout = Group(null, CampaignGroup.HoldoutName);
        var variants = campaign.Variants.OrderBy(v => v.Id).Select(v => Group(v.Id, v.Name)).ToList();
        var all = variants.Aggregate(new GroupTally().ToGroup(null, CampaignGroup.AllVariantsName, isHoldout: false), (sum, variant) => sum.Plus(variant));
        return (new CampaignSummary(campaign.Id, campaign.Name, campaign.Status, campaign.Currency, all.Versus(holdout, GrossMarginPercent), holdout),
            [.. variants.Select(v => v.Versus(holdout, GrossMarginPercent))]);
    }

    /// <summary>
    /// The counts per campaign and group, added up from the <see cref="CampaignOutcome"/> summary (a row per customer
    /// that <see cref="ReportSummaries"/> keeps): the customers anchored in the period, each window counted only for
    /// those whose window has passed. No customer row leaves the database.
    /// </summary>
    private async Task<List<GroupTally>> TalliesAsync(long? campaignId, ReportPeriod period, CustomerFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(filter);
        await summaries.CatchUpAsync(cancellationToken);
        var (start, end) = (period.Start, period.End);
        var outcomes = db.CampaignOutcomes.Where(o => o.AnchorAt >= start && o.AnchorAt < end);
        if (campaignId is { } id)
        {
            outcomes = outcomes.Where(o => o.CampaignId == id);
        }

        if (filter != CustomerFilter.All)
        {
            // Without a filter every customer passes: leaving the condition out spares the database a join over all of them.
            var kept = filter.Apply(db);
            outcomes = outcomes.Where(o => kept.Any(c => c.Id == o.CustomerId));
        }

        // The latest anchor whose window has passed, per window.
        var (matured30, matured60, matured90) = (now.AddDays(-30), now.AddDays(-60), now.AddDays(-90));
        return await outcomes
            .GroupBy(o => new { o.CampaignId, o.VariantId })
            .Select(g => new GroupTally
            {
                CampaignId = g.Key.CampaignId,
                VariantId = g.Key.VariantId,
                Customers = g.Count(),
                CodesIssued = g.Sum(o => o.CodeIssued ? 1 : 0),
                CodesRedeemed = g.Sum(o => o.CodeRedeemed ? 1 : 0),
                Matured30 = g.Sum(o => o.AnchorAt <= matured30 ? 1 : 0),
                Repeaters30 = g.Sum(o => o.AnchorAt <= matured30 && o.Repeated30 ? 1 : 0),
                Revenue30 = g.Sum(o => o.AnchorAt <= matured30 ? o.Revenue30 : 0),
                Discount30 = g.Sum(o => o.AnchorAt <= matured30 ? o.Discount30 : 0),
                Matured60 = g.Sum(o => o.AnchorAt <= matured60 ? 1 : 0),
                Repeaters60 = g.Sum(o => o.AnchorAt <= matured60 && o.Repeated60 ? 1 : 0),
                Revenue60 = g.Sum(o => o.AnchorAt <= matured60 ? o.Revenue60 : 0),
                Discount60 = g.Sum(o => o.AnchorAt <= matured60 ? o.Discount60 : 0),
                Matured90 = g.Sum(o => o.AnchorAt <= matured90 ? 1 : 0),
                Repeaters90 = g.Sum(o => o.AnchorAt <= matured90 && o.Repeated90 ? 1 : 0),
                Revenue90 = g.Sum(o => o.AnchorAt <= matured90 ? o.Revenue90 : 0),
                Discount90 = g.Sum(o => o.AnchorAt <= matured90 ? o.Discount90 : 0),
            })
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Fills <see cref="CampaignOutcome"/> for the customers <paramref name="customers"/> keeps: per campaign and
    /// customer, the anchor, the group, the code, and per window (counted whether or not it has passed) whether
    /// they ordered again, the revenue and the discount. The anchor is the earliest decision other than "excluded",
    /// over the whole history. Fixed SQL fragments only; nothing from outside is interpolated.
    /// </summary>
    internal static string SummaryInsert(ProviderSql sql, Func<string, string> customers)
    {
        var discount = $"""
            CASE WHEN k."DiscountKind" = 'Amount' THEN {sql.Money("k.\"DiscountValue\"")}
                 ELSE CAST(ROUND({sql.Money("later.\"Total\"")} * {sql.Number("k.\"DiscountValue\"")} / (100 - {sql.Number("k.\"DiscountValue\"")})) AS bigint) END
            """;
        var windowEnds = string.Join(",\n", WindowDays.Select(days =>
            $"{sql.AddDays("a.anchor_at", days.ToString(CultureInfo.InvariantCulture))} AS end{days}"));
        var windowColumns = string.Join(", ", WindowDays.Select(days => $"\"Repeated{days}\", \"Revenue{days}\", \"Discount{days}\""));
        var windows = string.Join(",\n", WindowDays.Select(days =>
        {
            var inWindow = $"later.\"PlacedAt\" <= k.end{days}";
            var money = $"{inWindow} AND later.\"Currency\" = k.\"Currency\"";
            return $"""
                MAX(CASE WHEN {inWindow} THEN 1 ELSE 0 END) = 1,
                COALESCE({sql.Money($"SUM(CASE WHEN {money} THEN later.\"Total\" ELSE 0 END)")}, 0),
                COALESCE(CAST(SUM(CASE WHEN {money} AND later."ExternalId" = k."RedeemedOrderExternalId" THEN {discount} ELSE 0 END) AS bigint), 0)
                """;
        }));
        var lastEnd = $"k.end{WindowDays[^1]}";
        return $"""
            WITH anchors AS (
                SELECT t."CampaignId", t."CustomerId", MIN(o."PlacedAt") AS anchor_at, MAX(t."DiscountCodeId") AS code_id
                FROM "ThankYous" AS t
                JOIN "Orders" AS o ON o."Id" = t."OrderId"
                WHERE t."Outcome" <> 'Excluded' AND {customers("t.\"CustomerId\"")}
                GROUP BY t."CampaignId", t."CustomerId"
            ),
            cohort AS (
                SELECT a."CampaignId", a."CustomerId", g."VariantId", a.anchor_at, c."Currency", d."Id" AS code_id, d."RedeemedAt",
                       d."RedeemedOrderExternalId", d."DiscountKind", d."DiscountValue",
                       {windowEnds}
                FROM anchors AS a
                JOIN "CampaignAssignments" AS g ON g."CampaignId" = a."CampaignId" AND g."CustomerId" = a."CustomerId"
                JOIN "Campaigns" AS c ON c."Id" = a."CampaignId"
                LEFT JOIN "DiscountCodes" AS d ON d."Id" = a.code_id
            )
            INSERT INTO "CampaignOutcomes" ("CampaignId", "CustomerId", "VariantId", "AnchorAt", "CodeIssued", "CodeRedeemed", {windowColumns})
            SELECT k."CampaignId", k."CustomerId", k."VariantId", k.anchor_at, k.code_id IS NOT NULL, k."RedeemedAt" IS NOT NULL,
                   {windows}
            FROM cohort AS k
            LEFT JOIN "Orders" AS later ON later."CustomerId" = k."CustomerId" AND later."PlacedAt" > k.anchor_at AND later."PlacedAt" <= {lastEnd}
            GROUP BY k."CampaignId", k."CustomerId", k."VariantId", k.anchor_at, k.code_id, k."RedeemedAt"
            """;
    }

    /// <summary>
    /// Counts and sums over customers per campaign and group. Money is in whole ten-thousandths (<see cref="ProviderSql.Money"/>).
    /// </summary>
    private sealed class GroupTally
    {
        public long CampaignId { get; init; }

        public long? VariantId { get; init; }

            public int Customers { get; init; }

        public int CodesIssued { get; init; }

        public int CodesRedeemed { get; init; }

        public int Matured30 { get; init; }

        public int Repeaters30 { get; init; }

        public long Revenue30 { get; init; }

        public long Discount30 { get; init; }

        public int Matured60 { get; init; }

        public int Repeaters60 { get; init; }

        public long Revenue60 { get; init; }

        public long Discount60 { get; init; }

        public int Matured90 { get; init; }

        public int Repeaters90 { get; init; }

        public long Revenue90 { get; init; }

        public long Discount90 { get; init; }

        public CampaignGroup ToGroup(long? variantId, string name, bool isHoldout) => new(variantId, name, isHoldout, Customers, CodesIssued, CodesRedeemed,
        [
            Window(30, Matured30, Repeaters30, Revenue30, Discount30),
            Window(60, Matured60, Repeaters60, Revenue60, Discount60),
            Window(90, Matured90, Repeaters90, Revenue90, Discount90),
        ]);

        private static RepeatWindow Window(int days, int matured, int repeaters, long revenue, long discount) =>
            new(days, matured, repeaters, CampaignMoney.Cents(SqliteStorage.FromMoney(revenue)), CampaignMoney.Cents(SqliteStorage.FromMoney(discount)));
    }
}
