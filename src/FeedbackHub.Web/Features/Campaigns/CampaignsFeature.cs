using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeedbackHub.Web.Features.Campaigns;

public static class CampaignsFeature
{
    public static IHostApplicationBuilder AddCampaigns(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddThankYous();
        builder.Services.AddScoped<CampaignEditor>();
        builder.Services.AddSingleton<CodeGuessLimiter>();
        return builder;
    }

    /// <summary>What ingest needs to thank new orders and record used codes (the app and the command line).</summary>
    public static IServiceCollection AddThankYous(this IServiceCollection services)
    {
        services.AddOptions<CampaignOptions>().BindConfiguration(CampaignOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddScoped<DiscountCodes>();
        services.TryAddScoped<ThankYouIssuer>();
        return services;
    }
}
