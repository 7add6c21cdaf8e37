using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Metrics;
using FeedbackHub.Web.Features.Reasons;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>The answers as the form posts them: everything is text until it is checked.</summary>
public sealed record SurveyAnswers(long VersionId, string? Reason, string? Comment, string? Comeback);

public enum SubmitOutcome
{
    Saved,

    /// <summary>The invitation was answered before (maybe a moment ago, by a second tab): the first answer stays.</summary>
    AlreadyReceived,

    /// <summary>The answers have problems, listed by field; nothing was stored.</summary>
    Invalid,

    /// <summary>The invitation is unknown or expired.</summary>
    NotValid,
}

/// <summary>How a submission ended.</summary>
/// <param name="Outcome">Saved, already received, invalid or not valid.</param>
/// <param name="Errors">For <see cref="SubmitOutcome.Invalid"/>: the problems by form field, in the customer's language.</param>
/// <param name="Version">For <see cref="SubmitOutcome.Invalid"/>: the survey version the answers were checked against, to show the form again.</param>
public sealed record SubmitResult(SubmitOutcome Outcome, IReadOnlyDictionary<string, string> Errors, SurveyVersionInfo? Version = null)
{
    public static SubmitResult Of(SubmitOutcome outcome) => new(outcome, new Dictionary<string, string>());
}

/// <summary>What the thank-you page offers: the words, and the code when the offer is one.</summary>
public sealed record WinBackDisplay(string Message, string? Code, string? CodeTerms);

/// <summary>
/// Stores a customer's exit-survey answers, once per invitation: the database's unique index decides
/// between two submits that race, and the loser is told the answers were already received. Chooses
/// the win-back offer (or its hold-out) in the same save.
/// </summary>
public sealed class SurveySubmissions(
    AppDbContext db, SurveyVersions versions, ThankYouIssuer codes, TimeProvider time, IOptions<EmailOptions> emailOptions,
    ClassificationSignal classification, FeedbackHubMetrics metrics)
{
    public async Task<SubmitResult> SubmitAsync(long invitationId, SurveyAnswers answers, string locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var now = time.GetUtcNow();
        var invitation = await db.SurveyInvitations.Include(i => i.Customer).FirstOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
        if (invitation is null)
        {
            return SubmitResult.Of(SubmitOutcome.NotValid);
        }

        if (invitation.AnsweredAt is not null)
        {
            return SubmitResult.Of(SubmitOutcome.AlreadyReceived);
        }

        if (invitation.ExpiresAt <= now)
        {
            return SubmitResult.Of(SubmitOutcome.NotValid);
        }

        // The version the form showed; a form older than the newest version is still accepted.
        var version = await versions.FindAsync(answers.VersionId, cancellationToken) ?? await versions.CurrentAsync(cancellationToken);
        var texts = SurveyPageTexts.For(locale);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var reason = answers.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || !version.Definition.ChoiceKeys.Contains(reason, StringComparer.Ordinal))
        {
            errors["reason"] = texts.ReasonRequired;
        }

        // Line breaks arrive as CR LF from a form; count them as people see them.
        var comment = (answers.Comment ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (comment.Length > SurveyLimits.Comment)
        {
            errors["comment"] = string.Format(CultureInfo.InvariantCulture, texts.CommentTooLong, comment.Length.ToString("N0", ThankYouRules.CultureFor(locale)), SurveyLimits.Comment.ToString("N0", ThankYouRules.CultureFor(locale)));
        }

        int? comeback = null;
        if (!string.IsNullOrWhiteSpace(answers.Comeback))
        {
            if (int.TryParse(answers.Comeback, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 10)
            {
                comeback = value;
            }
            else
            {
                errors["comeback"] = texts.ComebackInvalid;
            }
        }

        if (errors.Count > 0)
        {
            return new SubmitResult(SubmitOutcome.Invalid, errors, version);
        }

        var response = new SurveyResponse
        {
            InvitationId = invitation.Id, CustomerId = invitation.CustomerId, SurveyVersionId = version.Id, Locale = locale,
            Reason = reason!, Comment = comment, ComebackLikelihood = comeback, SubmittedAt = now,
        };
        await ChooseWinBackAsync(response, invitation.Customer!, cancellationToken);
        invitation.AnsweredAt = now;
        db.SurveyResponses.Add(response);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            metrics.SurveyResponseStored(locale);
            if (comment.Length > 0)
            {
                // Classified in the background: the customer never waits for the model, and a model failure cannot fail the submit.
                classification.Notify();
            }

            return SubmitResult.Of(SubmitOutcome.Saved);
        }
        catch (DbUpdateException)
        {
            // The unique index on the invitation: another submit won the race. Anything else is a real failure.
            db.ChangeTracker.Clear();
            if (await db.SurveyResponses.AnyAsync(r => r.InvitationId == invitationId, cancellationToken))
            {
                return SubmitResult.Of(SubmitOutcome.AlreadyReceived);
            }

            throw;
        }
    }

    /// <summary>The offer for the chosen reason, or its hold-out, drawn at random like a campaign's groups.</summary>
    private async Task ChooseWinBackAsync(SurveyResponse response, Customer customer, CancellationToken cancellationToken)
    {
        var offer = await db.WinBackOffers.AsNoTracking().FirstOrDefaultAsync(o => o.Reason == response.Reason && o.Enabled, cancellationToken);
        if (offer is null)
        {
            return;
        }

        response.WinBackOfferId = offer.Id;
        if (VariantAssignment.Draw() < (double)offer.HoldoutShare)
        {
            response.WinBackGroup = WinBackGroup.Holdout;
            return;
        }

        if (offer.Kind == WinBackOfferKind.DiscountCode)
        {
            var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Variants).FirstOrDefaultAsync(c => c.Id == offer.CampaignId, cancellationToken);
            var code = campaign is null ? null : await codes.CodeForAsync(campaign, customer, cancellationToken);
            if (code is null)
            {
                // The customer's code from this campaign is used up: no offer to make, and not a hold-out either.
                response.WinBackGroup = WinBackGroup.None;
                return;
            }

            if (code.Id == 0)
            {
                response.DiscountCode = code;
            }
            else
            {
                response.DiscountCodeId = code.Id;
            }
        }

        response.WinBackGroup = WinBackGroup.Offered;
    }

    /// <summary>What the thank-you page shows for this response's offer; null without one.</summary>
    public async Task<WinBackDisplay?> WinBackAsync(SurveyResponse response, Customer customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(customer);
        if (response.WinBackGroup != WinBackGroup.Offered || response.WinBackOfferId is not { } offerId
            || await db.WinBackOffers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == offerId, cancellationToken) is not { } offer)
        {
            return null;
        }

        var message = response.Locale == CustomerLocales.Dutch ? offer.MessageDutch : offer.MessageEnglish;
        if (response.DiscountCodeId is not { } codeId
            || await db.DiscountCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Id == codeId, cancellationToken) is not { } code)
        {
            return new WinBackDisplay(message, null, null);
        }

        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == code.CampaignId, cancellationToken);
        var zone = QuietHours.ZoneOrDefault(customer.TimeZone, emailOptions.Value.DefaultTimeZone);
        var terms = string.Format(CultureInfo.InvariantCulture, SurveyPageTexts.For(response.Locale).CodeTerms,
            ThankYouRules.FormatDiscount(code.DiscountKind, code.DiscountValue, code.Currency, response.Locale),
            ThankYouRules.FormatLastDay(code.ExpiresAt, zone, response.Locale));
        return new WinBackDisplay(message, DiscountCodeFormat.Display(code.Code, campaign.CodePrefix), terms);
    }
}
