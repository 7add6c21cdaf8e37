using FeedbackHub.Web.Features.Api;
using FeedbackHub.Web.Features.Security;
using Microsoft.AspNetCore.Diagnostics;
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
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/status/500",
                CreateScopeForErrors = true,
                // A request the framework could not read (a form with an expired antiforgery token, a body over
                // its limit, a form value holding a NUL) is the client's error, not ours: its own status on the
                // status page, not a 500.
                StatusCodeSelector = ex => ex switch
                {
                    BadHttpRequestException bad => bad.StatusCode,
                    InvalidDataException => StatusCodes.Status400BadRequest,
                    _ => StatusCodes.Status500InternalServerError,
                },
            });
            app.UseHsts();
        }

        // People get a page; the API turns this off and answers with ProblemDetails (UseApiErrors).
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.UseErrorPagesAsGet();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization, so that limits apply per API key.
        app.UseRateLimiter();
        app.UseApiErrors();
        // Before antiforgery, which reads the form.
        app.UseRequestBodyLimits();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Error and status pages are re-executed with the failed request's method. A refused form post (403,
    /// 413, 429, a failure) would then be a form post to the status page, which Blazor refuses again (no
    /// antiforgery token, no form of that name) or fails on; as a GET without the refused body (which
    /// may be the very thing refused for its size) it shows the page meant for it.
    /// </summary>
    private static IApplicationBuilder UseErrorPagesAsGet(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerPathFeature>() is not null)
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.ContentLength = null;
            context.Request.ContentType = null;
            context.Request.Body = Stream.Null;
        }

        return next(context);
    });
}
