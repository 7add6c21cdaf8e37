using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>A campaign with what it has done so far.</summary>
public sealed record CampaignView(long Id, CampaignStatus Status, CampaignInput Settings, CampaignCounts Counts, DateTimeOffset UpdatedAt, string? UpdatedBy);

/// <summary>What a campaign decided and issued: every qualifying order is in one of these counts.</summary>
public sealed record CampaignCounts(int WithCode, int HoldoutThankYou, int HoldoutNoEmail, int Excluded, int CodeAlreadyIssued, int CodesIssued, int CodesRedeemed)
{
    public static CampaignCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public int Qualifying => WithCode + HoldoutThankYou + HoldoutNoEmail + Excluded + CodeAlreadyIssued;
}

/// <summary>How the last 30 days would have gone under a campaign's rules.</summary>
public sealed record DryRunResult(
    DateTimeOffset From, DateTimeOffset To, int QualifyingOrders, int QualifyingCustomers,
    int ExcludedFlagged, int ExcludedDiscountDependent, IReadOnlyList<DryRunGroup> Groups)
{
    public int Eligible => QualifyingCustomers - ExcludedFlagged - ExcludedDiscountDependent;
}

/// <summary>A variant (or the hold-out) and the customers expected in it: groups are drawn at random, so this is the eligible count times its share.</summary>
public sealed record DryRunGroup(string Name, decimal Share, int ExpectedCustomers);

/// <summary>The email one group gets, in one language.</summary>
public sealed record CampaignPreview(string Group, string Language, RenderedEmail? Email, string? Note);

public enum CampaignAction
{
    /// <summary>Draft or paused → active.</summary>
    Resume,
    Pause,
}

/// <summary>Creates, changes, pauses and previews thank-you campaigns, for the staff page and the API alike.</summary>
public sealed class CampaignEditor(AppDbContext db, AuditTrail audit, TimeProvider time, EmailRenderer renderer, ThankYouIssuer issuer)
{
    public static readonly TimeSpan DryRunPeriod = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<CampaignView>> ListAsync(CancellationToken cancellationToken)
    {
        var campaigns = await db.Campaigns.AsNoTracking().Include(c => c.Variants).OrderByDescending(c => c.Status == CampaignStatus.Active).ThenBy(c => c.Name).ToListAsync(cancellationToken);
        var counts = await CountsAsync(campaigns.Select(c => c.Id).ToList(), cancellationToken);
        return [.. campaigns.Select(c => View(c, counts.GetValueOrDefault(c.Id, CampaignCounts.None)))];
    }

    public async Task<CampaignView?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Variants).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return campaign is null ? null : View(campaign, (await CountsAsync([id], cancellationToken)).GetValueOrDefault(id, CampaignCounts.None));
    }

    /// <summary>Stores a new campaign as a draft (it sends nothing until resumed).</summary>
    public async Task<ValidatedResult<CampaignView>> CreateAsync(Actor actor, CampaignInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = input.Validate();
        await CheckNameAsync(input.Name, null, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ValidatedResult.Invalid<CampaignView>(errors);
        }

        var now = time.GetUtcNow();
        var campaign = new Campaign { Name = "", Status = CampaignStatus.Draft, CreatedAt = now };
        Apply(input, campaign, now, actor);
        db.Campaigns.Add(campaign);
        audit.Add(actor, AuditActions.CampaignCreated, campaign.Name, Describe(campaign));
        await db.SaveChangesAsync(cancellationToken);
        return ValidatedResult.Ok((await GetAsync(campaign.Id, cancellationToken))!);
    }

    /// <summary>Changes a campaign; customers keep the group they are in, and codes already issued keep their terms.</summary>
    public async Task<ValidatedResult<CampaignView>?> UpdateAsync(Actor actor, long id, CampaignInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var campaign = await db.Campaigns.Include(c => c.Variants).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return null;
        }

        var errors = input.Validate();
        await CheckNameAsync(input.Name, id, errors, cancellationToken);
        await CheckVariantsAsync(campaign, input, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ValidatedResult.Invalid<CampaignView>(errors);
        }

        Apply(input, campaign, time.GetUtcNow(), actor);
        audit.Add(actor, AuditActions.CampaignChanged, campaign.Name, Describe(campaign));
        await db.SaveChangesAsync(cancellationToken);
        return ValidatedResult.Ok((await GetAsync(id, cancellationToken))!);
    }

    /// <summary>Pauses or resumes (a draft is started by resuming it). Null when there is no such campaign.</summary>
    public async Task<CampaignView?> SetStatusAsync(Actor actor, long id, CampaignAction action, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return null;
        }

        var status = action == CampaignAction.Pause ? CampaignStatus.Paused : CampaignStatus.Active;
        if (campaign.Status != status && !(campaign.Status == CampaignStatus.Draft && status == CampaignStatus.Paused))
        {
            audit.Add(actor, AuditActions.CampaignStatusChanged, campaign.Name, $"{campaign.Status} → {status}");
            (campaign.Status, campaign.UpdatedAt, campaign.UpdatedBy) = (status, time.GetUtcNow(), TextLimits.Truncate(actor.Name, FieldLengths.Email));
            await db.SaveChangesAsync(cancellationToken);
        }

        return await GetAsync(id, cancellationToken);
    }

    /// <summary>
    /// How many customers the last 30 days of orders would have brought under these rules (status and
    /// dates aside), how many the exclusions would have kept out, and the expected split over the groups.
    /// </summary>
    public async Task<DryRunResult> DryRunAsync(CampaignInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var campaign = ToCampaign(input);
        var to = time.GetUtcNow();
        var from = to - DryRunPeriod;
        var recentCustomers = db.Orders.Where(o => o.PlacedAt >= from && o.PlacedAt < to).Select(o => o.CustomerId);
        var orders = db.Orders.AsNoTracking()
            .Where(o => recentCustomers.Contains(o.CustomerId) && o.PlacedAt < to)
            .OrderBy(o => o.CustomerId).ThenBy(o => o.PlacedAt).ThenBy(o => o.Id)
            .Select(o => new { o.CustomerId, o.PlacedAt, HasDiscount = o.DiscountCode != null, o.Customer!.FlaggedBySupport })
            .AsAsyncEnumerable();
        var (qualifyingOrders, flagged, dependent) = (0, 0, 0);
        var customers = new HashSet<long>();
        var excluded = new HashSet<long>();
        long current = -1;
        var (ordinal, withDiscount) = (0, 0);
        await foreach (var order in orders.WithCancellation(cancellationToken))
        {
            if (order.CustomerId != current)
            {
                (current, ordinal, withDiscount) = (order.CustomerId, 0, 0);
            }

            var history = new OrderHistory(++ordinal, withDiscount);
            withDiscount += order.HasDiscount ? 1 : 0;
            if (order.PlacedAt < from || !ThankYouRules.Qualifies(campaign, history))
            {
                continue;
            }

            qualifyingOrders++;
            customers.Add(order.CustomerId);
            // A customer counts once, under the reason that kept them out first.
            if (ThankYouRules.Exclude(campaign, order.FlaggedBySupport, history) is { } exclusion && excluded.Add(order.CustomerId))
            {
                _ = exclusion.Rule == ExclusionRule.FlaggedBySupport ? flagged++ : dependent++;
            }
        }

        var eligible = customers.Count - flagged - dependent;
        var weights = campaign.Variants.Sum(v => v.Weight);
        var groups = new List<DryRunGroup> { new("Hold-out", campaign.HoldoutShare, (int)Math.Round(eligible * campaign.HoldoutShare)) };
        groups.AddRange(campaign.Variants.Select(v =>
        {
            var share = (1 - campaign.HoldoutShare) * v.Weight / weights;
            return new DryRunGroup(v.Name, share, (int)Math.Round(eligible * share));
        }));
        return new DryRunResult(from, to, qualifyingOrders, customers.Count, flagged, dependent, groups);
    }

    /// <summary>The thank-you of every variant and of the hold-out, in Dutch and English, with sample customer data and the campaign's real terms.</summary>
    public async Task<IReadOnlyList<CampaignPreview>> PreviewAsync(CampaignInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var campaign = ToCampaign(input);
        var now = time.GetUtcNow();
        var previews = new List<CampaignPreview>();
        await using var session = renderer.OpenSession();
        foreach (var language in CustomerLocales.All)
        {
            var customer = new Customer { ExternalId = "sample", Email = "sam@example.com", FirstName = "Sam", Locale = language };
            foreach (var variant in campaign.Variants)
            {
                var code = issuer.SampleCode(campaign, variant, customer, now);
                previews.Add(new(variant.Name, language, await session.RenderAsync(
                    EmailTemplates.ThankYou, language, issuer.Values(campaign, customer, language, code), SampleUnsubscribeUrl,
                    ThankYouIssuer.IntroOverride(variant, language), cancellationToken), null));
            }

            previews.Add(campaign.HoldoutTreatment == HoldoutTreatment.NoEmail
                ? new("Hold-out", language, null, "The hold-out group gets no email.")
                : new("Hold-out", language, await session.RenderAsync(
                    EmailTemplates.ThankYouWithoutCode, language, issuer.Values(campaign, customer, language, null), SampleUnsubscribeUrl, null, cancellationToken), null));
        }

        return previews;
    }

    private const string SampleUnsubscribeUrl = "https://example.com/unsubscribe/sample";

    /// <summary>An unsaved campaign from input (for the dry run and preview), with made-up variant ids.</summary>
    private static Campaign ToCampaign(CampaignInput input)
    {
        var campaign = new Campaign { Name = input.Name?.Trim() ?? "" };
        Apply(input, campaign, DateTimeOffset.UnixEpoch, Actor.System);
        var id = 0;
        foreach (var variant in campaign.Variants)
        {
            variant.Id = --id;
        }

        return campaign;
    }

    private static void Apply(CampaignInput input, Campaign campaign, DateTimeOffset now, Actor actor)
    {
        campaign.Name = input.Name!.Trim();
        campaign.CodePrefix = string.IsNullOrWhiteSpace(input.CodePrefix) ? null : input.CodePrefix.Trim();
        campaign.DiscountKind = input.DiscountKind;
        campaign.DiscountValue = input.DiscountValue ?? 0;
        campaign.MinimumOrderValue = input.MinimumOrderValue;
        campaign.Currency = input.Currency;
        campaign.ValidityDays = input.ValidityDays;
        campaign.Qualifying = input.Qualifying;
        campaign.EveryNth = input.Qualifying == QualifyingOrders.EveryNthOrder ? input.EveryNth : null;
        campaign.SendDelayMinutes = input.SendDelayMinutes;
        campaign.StartsAt = input.StartsAt?.ToUniversalTime() ?? now;
        campaign.EndsAt = input.EndsAt?.ToUniversalTime();
        campaign.HoldoutShare = input.HoldoutShare;
        campaign.HoldoutTreatment = input.HoldoutTreatment;
        campaign.ExcludeDiscountShareAbove = input.ExcludeDiscountShareAbove;
        campaign.ExcludeFlaggedCustomers = input.ExcludeFlaggedCustomers;
        campaign.UpdatedAt = now;
        campaign.UpdatedBy = TextLimits.Truncate(actor.Name, FieldLengths.Email);
        var kept = input.Variants.Where(v => v.Id is not null).Select(v => v.Id!.Value).ToHashSet();
        campaign.Variants.RemoveAll(v => !kept.Contains(v.Id));
        foreach (var each in input.Variants)
        {
            var variant = campaign.Variants.FirstOrDefault(v => each.Id is { } id && v.Id == id);
            if (variant is null)
            {
                variant = new CampaignVariant { Name = "" };
                campaign.Variants.Add(variant);
            }

            variant.Name = each.Name!.Trim();
            variant.Weight = each.Weight;
            (variant.DiscountKind, variant.DiscountValue) = (each.DiscountKind, each.DiscountValue);
            variant.IntroEnglish = string.IsNullOrWhiteSpace(each.IntroEnglish) ? null : each.IntroEnglish.Trim();
            variant.IntroDutch = string.IsNullOrWhiteSpace(each.IntroDutch) ? null : each.IntroDutch.Trim();
        }
    }

    private async Task CheckNameAsync(string? name, long? id, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim();
        if (!errors.ContainsKey("name") && await db.Campaigns.AnyAsync(c => c.Name == trimmed && c.Id != id, cancellationToken))
        {
            errors["name"] = [$"There is already a campaign called '{trimmed}'."];
        }
    }

    /// <summary>A variant that customers are in cannot be removed: the groups must stay as they were drawn.</summary>
    private async Task CheckVariantsAsync(Campaign campaign, CampaignInput input, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        // A missing list or a null in it is already named by Validate; there is nothing to match against the stored variants.
        if (input.Variants is null || input.Variants.Any(v => v is null))
        {
            return;
        }

        var ids = campaign.Variants.Select(v => v.Id).ToHashSet();
        for (var i = 0; i < input.Variants.Count; i++)
        {
            if (input.Variants[i].Id is { } id && !ids.Contains(id))
            {
                errors[$"variants[{i}].id"] = [$"This campaign has no variant {id}; leave the id empty for a new variant."];
            }
        }

        var removed = campaign.Variants.Where(v => !input.Variants.Any(i => i.Id == v.Id)).Select(v => v.Id).ToList();
        var inUse = await db.CampaignAssignments.Where(a => a.VariantId != null && removed.Contains(a.VariantId.Value))
            .GroupBy(a => a.VariantId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        foreach (var used in inUse)
        {
            var name = campaign.Variants.First(v => v.Id == used.Key).Name;
            errors["variants"] = [.. errors.GetValueOrDefault("variants", []),
                $"Variant '{name}' cannot be removed: {used.Count} customer(s) are in it. Pause the campaign and start a new one instead."];
        }
    }

    private async Task<Dictionary<long, CampaignCounts>> CountsAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var outcomes = await db.ThankYous.Where(t => ids.Contains(t.CampaignId))
            .GroupBy(t => new { t.CampaignId, t.Outcome }).Select(g => new { g.Key.CampaignId, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var codes = await db.DiscountCodes.Where(c => ids.Contains(c.CampaignId))
            .GroupBy(c => c.CampaignId).Select(g => new { CampaignId = g.Key, Issued = g.Count(), Redeemed = g.Count(c => c.RedeemedAt != null) })
            .ToListAsync(cancellationToken);
        return ids.ToDictionary(id => id, id =>
        {
            int Outcome(ThankYouOutcome outcome) => outcomes.Where(o => o.CampaignId == id && o.Outcome == outcome).Sum(o => o.Count);
            var code = codes.FirstOrDefault(c => c.CampaignId == id);
            return new CampaignCounts(Outcome(ThankYouOutcome.Code), Outcome(ThankYouOutcome.HoldoutThankYou), Outcome(ThankYouOutcome.HoldoutNoEmail),
                Outcome(ThankYouOutcome.Excluded), Outcome(ThankYouOutcome.CodeAlreadyIssued), code?.Issued ?? 0, code?.Redeemed ?? 0);
        });
    }

    private static CampaignView View(Campaign campaign, CampaignCounts counts) =>
        new(campaign.Id, campaign.Status, CampaignInput.From(campaign), counts, campaign.UpdatedAt, campaign.UpdatedBy);

    private static string Describe(Campaign campaign) => string.Create(CultureInfo.InvariantCulture,
        $"{campaign.DiscountKind} {campaign.DiscountValue}, {campaign.Qualifying}, hold-out {campaign.HoldoutShare:P0}, {campaign.Variants.Count} variant(s)");
}

/// <summary>A value, or validation errors by field path (for ProblemDetails and for the staff page).</summary>
public sealed record ValidatedResult<T>(T? Value, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

public static class ValidatedResult
{
    public static ValidatedResult<T> Ok<T>(T value) => new(value, new Dictionary<string, string[]>());

    public static ValidatedResult<T> Invalid<T>(Dictionary<string, string[]> errors) => new(default, errors);
}
