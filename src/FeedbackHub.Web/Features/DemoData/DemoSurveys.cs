using System.Buffers.Text;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Surveys;

namespace FeedbackHub.Web.Features.DemoData;

/// <summary>
/// Exit-survey invitations for a customer's churn events, as <see cref="SurveyInviter"/> would have made
/// them (ten minutes after the event opened, only while it is open and recent), with the one reminder,
/// opened links and the answers of those who replied: a chosen reason, a comment that usually says the
/// same, the classifier's reading of it, and now and then a support lead's label.
/// </summary>
internal static class DemoSurveys
{
    public const string SupportLead = "support.lead@example.com";

    /// <summary>How often an invited customer answers, before <see cref="DemoDataOptions.ResponseRate"/>; about one in ten customers answers once.</summary>
    private const double AnswerShare = 0.27;

    private static readonly TimeSpan InviterDelay = TimeSpan.FromMinutes(10);

    public static void Invite(DemoWorld world, DemoCustomer demo, Random random, bool flagged)
    {
        var options = world.Surveys;
        foreach (var churn in demo.ChurnEvents)
        {
            var created = churn.OpenedAt + InviterDelay;
            if (created > world.End || churn.WonBackAt <= created || churn.ChurnedAt < created.AddDays(-options.InviteWithinDays))
            {
                continue;
            }

            var invitation = new SurveyInvitation
            {
                ChurnEvent = churn, Customer = demo.Customer, TokenHash = TokenHash(random), Locale = demo.Customer.Locale,
                CreatedAt = created, ExpiresAt = created.AddDays(options.ExpiryDays),
            };
            demo.Invitations.Add(invitation);
            if (random.NextDouble() < 0.015)
            {
                invitation.SkipReason = "fatigue cap: already 3 emails in the last 7 days (at most 3)";
                continue;
            }

            var reminderAt = created.AddDays(options.ReminderAfterDays);
            var answersAt = random.NextDouble() < AnswerShare * world.Options.ResponseRate
                ? random.NextDouble() < 0.6 ? created.AddHours(1 + random.NextDouble() * 24 * options.ReminderAfterDays) : reminderAt.AddHours(1 + random.NextDouble() * 24 * 10)
                : (DateTimeOffset?)null;
            if (answersAt > world.End || answersAt >= invitation.ExpiresAt)
            {
                answersAt = null;
            }

            if ((answersAt is null || answersAt > reminderAt) && reminderAt <= world.End && !(churn.WonBackAt <= reminderAt)
                && invitation.ExpiresAt > reminderAt.AddDays(1))
            {
                (invitation.ReminderQueuedAt, invitation.ReminderTokenHash) = (reminderAt, TokenHash(random));
            }

            if (answersAt is { } answered)
            {
                (invitation.OpenedAt, invitation.AnsweredAt) = (answered.AddMinutes(-2 - random.Next(10)), answered);
                demo.Responses.Add(Answer(world, invitation, answered, random, flagged));
            }
            else if (random.NextDouble() < 0.3)
            {
                // Opened and left unanswered.
                var open = Min(invitation.ExpiresAt, world.End) - created;
                invitation.OpenedAt = created + open * random.NextDouble();
            }
        }
    }

    private static SurveyResponse Answer(DemoWorld world, SurveyInvitation invitation, DateTimeOffset at, Random random, bool flagged)
    {
        // Customers support flagged mostly left over service; the rest by the shares the dashboards show.
        var chosen = flagged && random.NextDouble() < 0.7 ? 1 : random.NextDouble() switch
        {
            < 0.35 => 0,
            < 0.55 => 1,
            < 0.85 => 2,
            _ => 3,
        };
        // Some pick one reason and write about another: what the classifier and the review queue are for.
        var written = random.NextDouble() < 0.85 ? chosen : random.Next(DemoSurveyTexts.Reasons.Length);
        var comment = random.NextDouble() < 0.8 ? DemoSurveyTexts.Comment(random, invitation.Locale, written) : "";
        var response = new SurveyResponse
        {
            Invitation = invitation, SurveyVersionId = world.SurveyVersionId, Locale = invitation.Locale, Reason = DemoSurveyTexts.Reasons[chosen],
            Comment = comment, ComebackLikelihood = random.NextDouble() < 0.7 ? random.Next(11) : null, SubmittedAt = at,
        };
        if (comment.Length == 0)
        {
            return response;
        }

        var prediction = world.Predict(comment);
        response.PredictedReason = prediction.Label;
        response.PredictionConfidence = Math.Round((double)prediction.Confidence, 4);
        response.PredictionModelId = world.Model.Id == 0 ? null : world.Model.Id;
        response.PredictionExplanation = ReasonExplanation.Serialize(prediction.Explanation);
        response.PredictedAt = at.AddMinutes(1);
        var labelledAt = at.AddDays(1 + random.Next(10));
        if (random.NextDouble() < 0.05 && labelledAt <= world.End)
        {
            (response.HumanReason, response.LabelledBy, response.LabelledAt) = (DemoSurveyTexts.Reasons[written], SupportLead, labelledAt);
        }

        return response;
    }

    /// <summary>The hash of a link token drawn from the customer's own random stream: shaped like a real one and stable per seed.</summary>
    private static string TokenHash(Random random)
    {
        Span<byte> token = stackalloc byte[32];
        random.NextBytes(token);
        return SurveyLinks.Hash(Base64Url.EncodeToString(token));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
