namespace FeedbackHub.Web.Features.Campaigns;

public static class CampaignsFeature
{
    public static IHostApplicationBuilder AddCampaigns(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<DiscountCodes>();
        return builder;
    }
}
