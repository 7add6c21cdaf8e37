using FeedbackHub.Web.Features.Customers;
using FeedbackHub.Web.Features.Scheduling;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>Retention figures for the dashboards and the reports API, all computed in the database.</summary>
public static class AnalyticsFeature
{
    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<RetentionReport>();
        builder.Services.AddScoped<CohortReport>();
        builder.Services.AddScoped<ReportSummaries>();
        builder.Services.AddScheduledJob<ReportSummariesJob>();
        builder.Services.AddScoped<ChurnReasonReport>();
        builder.Services.AddScoped<CampaignReport>();
        builder.Services.AddScoped<CustomerDirectory>();
        builder.Services.AddScoped<SurveyFunnelReport>();
        builder.Services.AddScoped<DiscountDependencyReport>();
        return builder;
    }
}
