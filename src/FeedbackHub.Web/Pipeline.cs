using FeedbackHub.Web.Features.Api;
using Radzen;

namespace FeedbackHub.Web;

/// <summary>Razor components, error pages and the middleware, in the order they depend on.</summary>
internal static class Pipeline
{
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UsePipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/status/500", createScopeForErrors: true);
            app.UseHsts();
        }

        // People get a page; the API turns this off and answers with ProblemDetails (UseApiErrors).
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization, so that limits apply per API key.
        app.UseRateLimiter();
        app.UseApiErrors();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        return app;
    }
}
