using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Xunit;

namespace FeedbackHub.Testing;

/// <summary>
/// Drives the static server-rendered forms the way a browser without JavaScript does: loads the
/// page, keeps its hidden fields (antiforgery token, form name), fills the visible ones and posts.
/// </summary>
public sealed class BrowserSession(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    public async Task<string> GetPageAsync(string url)
    {
        using var response = await Client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var document = new HtmlParser().ParseDocument(await GetPageAsync(pageUrl));
        var form = document.QuerySelectorAll<IHtmlFormElement>("form")
            .SingleOrDefault(f => f.QuerySelector<IHtmlInputElement>("input[name=_handler]")?.Value == formName)
            ?? throw new InvalidOperationException($"No form '{formName}' on {pageUrl}.");
        var values = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]")
            .ToDictionary(input => input.Name!, input => input.Value);
        foreach (var (name, value) in fields)
        {
            Assert.True(form.QuerySelector($"[name='{name}']") is not null, $"The form '{formName}' has no field '{name}'.");
            values[name] = value;
        }

        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action")!;
        using var content = new FormUrlEncodedContent(values);
        return await Client.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    public Task<HttpResponseMessage> LogInAsync(string email, string password) =>
        SubmitFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    /// <summary>Chooses a password on a one-time invitation (or password) link.</summary>
    public Task<HttpResponseMessage> AcceptInvitationAsync(string pathAndQuery, string password) =>
        SubmitFormAsync(pathAndQuery, "accept-invitation", new Dictionary<string, string>
        {
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    public void Dispose() => Client.Dispose();
}
