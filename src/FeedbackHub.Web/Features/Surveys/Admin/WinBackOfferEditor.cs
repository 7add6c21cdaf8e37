using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Surveys.Admin;

/// <summary>A win-back offer as marketers edit it.</summary>
public sealed class WinBackOfferInput
{
    public string Reason { get; set; } = "";

    public bool Enabled { get; set; }

    public WinBackOfferKind Kind { get; set; } = WinBackOfferKind.Message;

    public long? CampaignId { get; set; }

    public string MessageEnglish { get; set; } = "";

    public string MessageDutch { get; set; } = "";

    /// <summary>0 to <see cref="WinBackOfferEditor.MaxHoldoutShare"/>.</summary>
    public decimal HoldoutShare { get; set; } = 0.1m;
}

/// <summary>One group of an offer and how many of its customers came back: offered and hold-out side by side show what the offer changes.</summary>
public sealed record WinBackGroupCount(int Customers, int WonBack)
{
    /// <summary>The group's answers added up over reasons.</summary>
    public static WinBackGroupCount Of(IEnumerable<WinBackCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var list = cells.ToList();
        return new(list.Sum(c => c.Responses), list.Sum(c => c.WonBack));
    }

    /// <summary>The share who came back, in percent with one decimal; null for an empty group.</summary>
    public decimal? WonBackPercent => Analytics.Percentages.Of(WonBack, Customers);

    public string Describe() => Customers == 0
        ? "none yet"
        : string.Create(CultureInfo.InvariantCulture, $"{Customers:N0}, won back {WonBack:N0} ({100.0 * WonBack / Customers:0}%)");
}

/// <summary>A reason the survey asks (or once asked), its offer if there is one, and what the offer did.</summary>
public sealed record WinBackOfferRow(
    string Reason, string Label, bool AskedNow, WinBackOfferInput Offer, bool Stored, DateTimeOffset? UpdatedAt, string? UpdatedBy,
    WinBackGroupCount Offered, WinBackGroupCount Holdout, int CodesRedeemed);

/// <summary>A campaign that can lend its terms to a win-back code.</summary>
public sealed record CampaignChoice(long Id, string Name, CampaignStatus Status);

/// <summary>
/// Marketers' win-back offers, one per survey reason: what the thank-you page offers, and the share of
/// customers held out of it (drawn at submit time, like a campaign's hold-out) so its effect can be measured.
/// </summary>
public sealed class WinBackOfferEditor(AppDbContext db, SurveyVersions versions, AuditTrail audit, TimeProvider time)
{
    public const decimal MaxHoldoutShare = 0.5m;

    public async Task<IReadOnlyList<WinBackOfferRow>> ListAsync(CancellationToken cancellationToken)
    {
        var survey = (await versions.CurrentAsync(cancellationToken)).Definition.English.Choices;
        var offers = await db.WinBackOffers.AsNoTracking().ToDictionaryAsync(o => o.Reason, StringComparer.Ordinal, cancellationToken);
        var cells = await db.SurveyResponses.AsNoTracking().Where(r => r.WinBackOfferId != null).Cells(db).ToListAsync(cancellationToken);

        WinBackGroupCount Count(long? offerId, WinBackGroup group) => WinBackGroupCount.Of(cells.Where(c => c.OfferId == offerId && c.Group == group));

        var rows = new List<WinBackOfferRow>();
        var asked = survey.Select(c => (c.Key, c.Label, AskedNow: true));
        var formerly = offers.Keys.Where(k => survey.All(c => c.Key != k)).Order(StringComparer.Ordinal).Select(k => (Key: k, Label: k, AskedNow: false));
        foreach (var (key, label, askedNow) in asked.Concat(formerly))
        {
            offers.TryGetValue(key, out var offer);
            var id = offer?.Id;
            rows.Add(new WinBackOfferRow(
                key, label, askedNow, offer is null ? new WinBackOfferInput { Reason = key } : Input(offer), offer is not null, offer?.UpdatedAt, offer?.UpdatedBy,
                Count(id, WinBackGroup.Offered), Count(id, WinBackGroup.Holdout),
                cells.Where(c => c.OfferId == id && c.Group == WinBackGroup.Offered).Sum(c => c.CodesRedeemed)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<CampaignChoice>> CampaignsAsync(CancellationToken cancellationToken) =>
        await db.Campaigns.AsNoTracking().OrderBy(c => c.Name).Select(c => new CampaignChoice(c.Id, c.Name, c.Status)).ToListAsync(cancellationToken);

    /// <summary>Creates or changes the offer for one reason; responses already given keep the group they were drawn into.</summary>
    public async Task<ValidatedResult<WinBackOfferInput>> SaveAsync(Actor actor, WinBackOfferInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var reason = input.Reason.Trim();
        var (english, dutch) = (input.MessageEnglish.Trim(), input.MessageDutch.Trim());
        var offer = await db.WinBackOffers.FirstOrDefaultAsync(o => o.Reason == reason, cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (offer is null && !(await versions.CurrentAsync(cancellationToken)).Definition.ChoiceKeys.Contains(reason, StringComparer.Ordinal))
        {
            errors["reason"] = [$"The survey has no choice '{reason}'."];
        }

        Message("messageEnglish", english, "English");
        Message("messageDutch", dutch, "Dutch");
        if (input.HoldoutShare is < 0 or > MaxHoldoutShare)
        {
            errors["holdoutShare"] = [string.Create(CultureInfo.InvariantCulture, $"The hold-out share is 0 % to {MaxHoldoutShare * 100:0} %.")];
        }

        if (input.Kind == WinBackOfferKind.DiscountCode)
        {
            if (input.CampaignId is not { } campaignId)
            {
                errors["campaignId"] = ["Choose the campaign whose terms the code gets."];
            }
            else if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, cancellationToken))
            {
                errors["campaignId"] = [$"There is no campaign {campaignId}."];
            }
        }
        else if (!Enum.IsDefined(input.Kind))
        {
            errors["kind"] = ["The offer is a discount code or a message."];
        }

        if (errors.Count > 0)
        {
            return ValidatedResult.Invalid<WinBackOfferInput>(errors);
        }

        if (offer is null)
        {
            offer = new WinBackOffer { Reason = reason, MessageEnglish = "", MessageDutch = "" };
            db.WinBackOffers.Add(offer);
        }

        (offer.Enabled, offer.Kind, offer.CampaignId, offer.MessageEnglish, offer.MessageDutch, offer.HoldoutShare) =
            (input.Enabled, input.Kind, input.Kind == WinBackOfferKind.DiscountCode ? input.CampaignId : null, english, dutch, input.HoldoutShare);
        (offer.UpdatedAt, offer.UpdatedBy) = (time.GetUtcNow(), actor.Name);
        audit.Add(actor, AuditActions.WinBackOfferChanged, reason, string.Create(CultureInfo.InvariantCulture,
            $"{(offer.Enabled ? "enabled" : "disabled")}, {offer.Kind}{(offer.CampaignId is { } id ? $" from campaign {id}" : "")}, hold-out {offer.HoldoutShare:P0}"));
        await db.SaveChangesAsync(cancellationToken);
        return ValidatedResult.Ok(Input(offer));

        void Message(string field, string text, string language)
        {
            if (input.Enabled && text.Length == 0)
            {
                errors[field] = [$"Write what the thank-you page says in {language}."];
            }
            else if (text.Length > SurveyLimits.OfferMessage)
            {
                errors[field] = [string.Create(CultureInfo.InvariantCulture, $"The {language} message is at most {SurveyLimits.OfferMessage:N0} characters ({text.Length:N0} now).")];
            }
        }
    }

    private static WinBackOfferInput Input(WinBackOffer offer) => new()
    {
        Reason = offer.Reason, Enabled = offer.Enabled, Kind = offer.Kind, CampaignId = offer.CampaignId,
        MessageEnglish = offer.MessageEnglish, MessageDutch = offer.MessageDutch, HoldoutShare = offer.HoldoutShare,
    };
}
