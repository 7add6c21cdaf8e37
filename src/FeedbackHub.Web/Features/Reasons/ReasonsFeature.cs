using FeedbackHub.Web.Features.Metrics;
using FeedbackHub.Web.Features.Scheduling;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>
/// Churn reasons read from survey answers: background classification with the active model, the
/// support leads' review queue, retraining on their labels, model versions and custom reasons.
/// </summary>
public static class ReasonsFeature
{
    /// <summary>Shared by the host and the CLI (which runs the jobs but never starts the worker).</summary>
    public static IHostApplicationBuilder AddReasons(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ReasonOptions>().BindConfiguration(ReasonOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ActiveReasonModel>();
        builder.Services.AddSingleton<ClassificationSignal>();
        builder.Services.AddScoped<ResponseClassifier>();
        builder.Services.AddFeedbackHubMetrics();
        builder.Services.AddHostedService<ClassificationWorker>();
        builder.Services.AddScheduledJob<ReasonClassificationJob>();
        builder.Services.AddScoped<ReasonCatalog>();
        builder.Services.AddScoped<ReasonReview>();
        builder.Services.AddScoped<ReasonRetrainer>();
        builder.Services.AddScoped<ReasonModelAdministration>();
        builder.Services.AddScheduledJob<ReasonRetrainingJob>();
        return builder;
    }
}
