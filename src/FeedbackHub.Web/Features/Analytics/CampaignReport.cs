using System.Globalization;
using FeedbackHub.Data;
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
/// The statement's work grows with the orders placed in the period and the customers anchored in it, not with the whole history.
/// </summary>
public sealed class CampaignReport(AppDbContext db, DatabaseSettings settings, TimeProvider time, IOptions<AnalyticsOptions> options)
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
    /// The counts per campaign and group. The SQL writes one row per customer (anchor, group, code, and per window
    /// matured, repeated, revenue and discount), and the filter and the sums per group are composed over it by EF Core,
    /// so the whole report is one statement and no customer row leaves the database.
    /// </summary>
    private async Task<List<GroupTally>> TalliesAsync(long? campaignId, ReportPeriod period, CustomerFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new ProviderSql(settings.Provider);
        // {0} and {1}: the period; {2}, {3}, … the latest anchor that has matured for each window; then the campaign id.
        List<object> parameters = [sql.Time(period.Start), sql.Time(period.End), .. WindowDays.Select(days => sql.Time(now.AddDays(-days)))];
        var campaignCondition = "";
        if (campaignId is { } id)
        {
            campaignCondition = $"AND t.\"CampaignId\" = {{{parameters.Count}}}";
            parameters.Add(id);
        }

        var discount = $"""
            CASE WHEN k."DiscountKind" = 'Amount' THEN {sql.Money("k.\"DiscountValue\"")}
                 ELSE CAST(ROUND({sql.Money("later.\"Total\"")} * {sql.Number("k.\"DiscountValue\"")} / (100 - {sql.Number("k.\"DiscountValue\"")})) AS bigint) END
            """;
        var windowEnds = string.Join(",\n", WindowDays.Select((days, index) =>
            $"CASE WHEN a.anchor_at <= {{{2 + index}}} THEN {sql.AddDays("a.anchor_at", days.ToString(CultureInfo.InvariantCulture))} END AS end{days}"));
        var windows = string.Join(",\n", WindowDays.Select(days =>
        {
            var (end, inWindow) = ($"k.end{days}", $"later.\"PlacedAt\" <= k.end{days}");
            var money = $"{inWindow} AND later.\"Currency\" = k.\"Currency\"";
            return $"""
                CASE WHEN {end} IS NULL THEN 0 ELSE 1 END AS "Matured{days}",
                MAX(CASE WHEN {inWindow} THEN 1 ELSE 0 END) AS "Repeaters{days}",
                {sql.Money($"SUM(CASE WHEN {money} THEN later.\"Total\" ELSE 0 END)")} AS "Revenue{days}",
                CAST(SUM(CASE WHEN {money} AND later."ExternalId" = k."RedeemedOrderExternalId" THEN {discount} ELSE 0 END) AS bigint) AS "Discount{days}"
                """;
        }));
        // The longest window that has matured: later orders past its end count nowhere.
        var lastEnd = $"COALESCE({string.Join(", ", WindowDays.Reverse().Select(days => $"k.end{days}"))})";
        // Only fixed SQL fragments are interpolated; every value travels as a parameter. The anchors are found from the
        // decisions on orders placed in the period, so the work grows with the period's customers, not with the whole history.
        var statement = $$"""
            WITH decided AS (
                SELECT t."CampaignId", t."CustomerId", o."PlacedAt", t."DiscountCodeId"
                FROM "Orders" AS o
                JOIN "ThankYous" AS t ON t."OrderId" = o."Id"
                WHERE o."PlacedAt" >= {0} AND o."PlacedAt" < {1} AND t."Outcome" <> 'Excluded' {{campaignCondition}}
            ),
            anchors AS (
                SELECT d."CampaignId", d."CustomerId", MIN(d."PlacedAt") AS anchor_at, MAX(d."DiscountCodeId") AS code_id
                FROM decided AS d
                -- A decision before the period puts the anchor before it.
                WHERE NOT EXISTS (SELECT 1 FROM "ThankYous" AS e JOIN "Orders" AS eo ON eo."Id" = e."OrderId"
                                  WHERE e."CampaignId" = d."CampaignId" AND e."CustomerId" = d."CustomerId" AND e."Outcome" <> 'Excluded' AND eo."PlacedAt" < {0})
                GROUP BY d."CampaignId", d."CustomerId"
            ),
            cohort AS (
                SELECT a."CampaignId", a."CustomerId", g."VariantId", a.anchor_at, c."Currency", d."Id" AS code_id, d."RedeemedAt",
                       d."RedeemedOrderExternalId", d."DiscountKind", d."DiscountValue",
                       {{windowEnds}}
                FROM anchors AS a
                JOIN "CampaignAssignments" AS g ON g."CampaignId" = a."CampaignId" AND g."CustomerId" = a."CustomerId"
                JOIN "Campaigns" AS c ON c."Id" = a."CampaignId"
                LEFT JOIN "DiscountCodes" AS d ON d."Id" = a.code_id
            )
            SELECT k."CampaignId", k."CustomerId", k."VariantId", 1 AS "Customers",
                   CASE WHEN k.code_id IS NULL THEN 0 ELSE 1 END AS "CodesIssued",
                   CASE WHEN k."RedeemedAt" IS NULL THEN 0 ELSE 1 END AS "CodesRedeemed",
                   {{windows}}
            FROM cohort AS k
            LEFT JOIN "Orders" AS later ON later."CustomerId" = k."CustomerId" AND later."PlacedAt" > k.anchor_at AND later."PlacedAt" <= {{lastEnd}}
            GROUP BY k."CampaignId", k."CustomerId", k."VariantId", k.code_id, k."RedeemedAt", {{string.Join(", ", WindowDays.Select(days => $"k.end{days}"))}}
            """;
        var customers = db.Database.SqlQueryRaw<GroupTally>(statement, [.. parameters]);
        if (filter != CustomerFilter.All)
        {
            // Without a filter every customer passes: leaving the condition out spares the database a join over all of them.
            var kept = filter.Apply(db);
            customers = customers.Where(t => kept.Any(c => c.Id == t.CustomerId));
        }

        return await customers
            .GroupBy(t => new { t.CampaignId, t.VariantId })
            .Select(g => new GroupTally
            {
                CampaignId = g.Key.CampaignId,
                VariantId = g.Key.VariantId,
                Customers = g.Sum(t => t.Customers),
                CodesIssued = g.Sum(t => t.CodesIssued),
                CodesRedeemed = g.Sum(t => t.CodesRedeemed),
                Matured30 = g.Sum(t => t.Matured30),
                Repeaters30 = g.Sum(t => t.Repeaters30),
                Revenue30 = g.Sum(t => t.Revenue30),
                Discount30 = g.Sum(t => t.Discount30),
                Matured60 = g.Sum(t => t.Matured60),
                Repeaters60 = g.Sum(t => t.Repeaters60),
                Revenue60 = g.Sum(t => t.Revenue60),
                Discount60 = g.Sum(t => t.Discount60),
                Matured90 = g.Sum(t => t.Matured90),
                Repeaters90 = g.Sum(t => t.Repeaters90),
                Revenue90 = g.Sum(t => t.Revenue90),
                Discount90 = g.Sum(t => t.Discount90),
            })
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Counts and sums over customers: one row per customer as the SQL writes it (<see cref="Customers"/> = 1), then
    /// added up per campaign and group. Money is in whole ten-thousandths (<see cref="ProviderSql.Money"/>).
    /// </summary>
    private sealed class GroupTally
    {
        public long CampaignId { get; init; }

        public long? VariantId { get; init; }

        /// <summary>Only on the per-customer rows, for the filter.</summary>
        public long CustomerId { get; init; }

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
