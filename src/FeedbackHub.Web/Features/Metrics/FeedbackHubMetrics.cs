using System.Diagnostics.Metrics;
using FeedbackHub.Data.Email;

namespace FeedbackHub.Web.Features.Metrics;

/// <summary>
/// FeedbackHub's own instruments, on one meter named <see cref="MeterName"/> (created through
/// <see cref="IMeterFactory"/>, so each host, and each test host, has its own). Read them with
/// <c>dotnet-counters monitor --counters FeedbackHub</c> or any System.Diagnostics.Metrics listener.
/// </summary>
public sealed class FeedbackHubMetrics
{
    public const string MeterName = "FeedbackHub";

    /// <summary>The tag naming what an email is: its template key (<c>thank-you</c>, <c>exit-survey</c>, …) or, without one, its purpose.</summary>
    public const string EmailKindTag = "email.kind";

    /// <summary>The tag saying why an email was deferred: <see cref="DeferredForRetry"/> or <see cref="DeferredForQuietHours"/>.</summary>
    public const string DeferReasonTag = "reason";

    /// <summary>Deferred after a transient failure (a connection error or a 4xx reply), to be retried with backoff.</summary>
    public const string DeferredForRetry = "retry";

    /// <summary>Deferred because it became due in the customer's quiet hours.</summary>
    public const string DeferredForQuietHours = "quiet-hours";

    public const string LocaleTag = "locale";

    private readonly Counter<long> _emailsSent;
    private readonly Counter<long> _emailsFailed;
    private readonly Counter<long> _emailsDeferred;
    private readonly Histogram<double> _dispatchLag;
    private readonly Counter<long> _surveyResponses;
    private readonly Histogram<double> _classificationDuration;

    public FeedbackHubMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _emailsSent = meter.CreateCounter<long>("feedbackhub.emails.sent", "{email}", "Emails the SMTP relay (or the pickup folder) accepted.");
        _emailsFailed = meter.CreateCounter<long>("feedbackhub.emails.failed", "{email}", "Emails given up on: a permanent refusal, or transient failures past the give-up time.");
        _emailsDeferred = meter.CreateCounter<long>("feedbackhub.emails.deferred", "{email}", "Sends put off until later: a transient failure to retry, or the customer's quiet hours.");
        _dispatchLag = meter.CreateHistogram<double>("feedbackhub.emails.dispatch_lag", "s",
            "How long a sent email waited after it became due (its send time or retry time) until the relay accepted it.");
        _surveyResponses = meter.CreateCounter<long>("feedbackhub.survey.responses", "{response}", "Exit-survey answers stored.");
        _classificationDuration = meter.CreateHistogram<double>("feedbackhub.classification.duration", "s",
            "Time the reason model took to classify one survey answer.");
    }

    public void EmailSent(OutboxEmail email, TimeSpan lag)
    {
        ArgumentNullException.ThrowIfNull(email);
        var kind = new KeyValuePair<string, object?>(EmailKindTag, Kind(email));
        _emailsSent.Add(1, kind);
        _dispatchLag.Record(Math.Max(0, lag.TotalSeconds), kind);
    }

    public void EmailFailed(OutboxEmail email) => _emailsFailed.Add(1, new KeyValuePair<string, object?>(EmailKindTag, Kind(email)));

    public void EmailDeferred(OutboxEmail email, string reason) =>
        _emailsDeferred.Add(1, new KeyValuePair<string, object?>(EmailKindTag, Kind(email)), new KeyValuePair<string, object?>(DeferReasonTag, reason));

    public void SurveyResponseStored(string locale) => _surveyResponses.Add(1, new KeyValuePair<string, object?>(LocaleTag, locale));

    public void AnswerClassified(TimeSpan duration) => _classificationDuration.Record(duration.TotalSeconds);

    private static string Kind(OutboxEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Template ?? email.Purpose.ToString().ToLowerInvariant();
    }
}
