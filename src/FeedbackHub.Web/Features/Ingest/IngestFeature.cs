using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Churn;

namespace FeedbackHub.Web.Features.Ingest;

public static class IngestFeature
{
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<IngestService>();
        builder.Services.AddThankYous();
        builder.Services.AddChurnDetection();
        return builder;
    }
}
