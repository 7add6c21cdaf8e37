using System.Globalization;
using System.Text;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email.Templates;

/// <summary>
/// Writes an email from a template: the marketers' wording (or the built-in default) in the
/// recipient's language, placeholders filled in, laid out as HTML by <see cref="EmailLayout"/> through
/// <see cref="HtmlRenderer"/> (which encodes every value) and as plain text.
/// </summary>
public sealed class EmailRenderer(AppDbContext db, IServiceProvider services, ILoggerFactory loggerFactory, IOptions<EmailOptions> options)
{
    /// <summary>The language an email to someone speaking <paramref name="locale"/> is written in.</summary>
    public string LanguageFor(string? locale) => CustomerLocales.IsSupported(locale) ? locale! : options.Value.DefaultLocale;

    /// <summary>The saved wording for a template in one language, by block (blocks without are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> SavedTextsAsync(EmailTemplate template, string locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        return await db.EmailTextBlocks.AsNoTracking()
            .Where(b => b.Template == template.Key && b.Locale == locale)
            .ToDictionaryAsync(b => b.Block, b => b.Text, cancellationToken);
    }

    public async Task<RenderedEmail> RenderAsync(
        EmailTemplate template, string? locale, IReadOnlyDictionary<string, string> values, string? unsubscribeUrl, CancellationToken cancellationToken)
    {
        await using var session = OpenSession();
        return await session.RenderAsync(template, locale, values, unsubscribeUrl, overrides: null, cancellationToken);
    }

    /// <summary>Renders with the given wording (e.g. unsaved edits in the preview); blocks it lacks use the default.</summary>
    public async Task<RenderedEmail> RenderAsync(
        EmailTemplate template, string language, IReadOnlyDictionary<string, string> values, string? unsubscribeUrl, IReadOnlyDictionary<string, string> texts)
    {
        await using var session = OpenSession();
        return await session.RenderAsync(template, language, values, unsubscribeUrl, texts);
    }

    /// <summary>A session for rendering many emails: one HTML renderer, and the saved wording read once per template and language.</summary>
    public RenderSession OpenSession() => new(this, new HtmlRenderer(services, loggerFactory));

    public sealed class RenderSession(EmailRenderer owner, HtmlRenderer html) : IAsyncDisposable
    {
        private readonly Dictionary<(string Template, string Language), IReadOnlyDictionary<string, string>> _saved = [];

        /// <summary>Renders in the recipient's language with the saved wording; <paramref name="overrides"/> replace blocks for this email only.</summary>
        public async Task<RenderedEmail> RenderAsync(
            EmailTemplate template, string? locale, IReadOnlyDictionary<string, string> values, string? unsubscribeUrl,
            IReadOnlyDictionary<string, string>? overrides, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(template);
            var language = owner.LanguageFor(locale);
            if (!_saved.TryGetValue((template.Key, language), out var texts))
            {
                _saved[(template.Key, language)] = texts = await owner.SavedTextsAsync(template, language, cancellationToken);
            }

            if (overrides is { Count: > 0 })
            {
                var merged = new Dictionary<string, string>(texts, StringComparer.Ordinal);
                foreach (var (block, text) in overrides)
                {
                    merged[block] = text;
                }

                texts = merged;
            }

            return await RenderAsync(template, language, values, unsubscribeUrl, texts);
        }

        public async Task<RenderedEmail> RenderAsync(
            EmailTemplate template, string language, IReadOnlyDictionary<string, string> values, string? unsubscribeUrl, IReadOnlyDictionary<string, string> texts)
        {
            var composed = owner.Compose(template, language, values, unsubscribeUrl, texts);
            var markup = await html.Dispatcher.InvokeAsync(async () =>
            {
                var output = await html.RenderComponentAsync<EmailLayout>(
                    ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(EmailLayout.Email)] = composed }));
                return output.ToHtmlString();
            });
            return new RenderedEmail(language, composed.Subject, markup, PlainText(composed));
        }

        public ValueTask DisposeAsync() => html.DisposeAsync();
    }

    private ComposedEmail Compose(
        EmailTemplate template, string language, IReadOnlyDictionary<string, string> values, string? unsubscribeUrl, IReadOnlyDictionary<string, string> texts)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(texts);
        string Text(TemplateBlock block) => EmailTemplate.Fill(texts.TryGetValue(block.Key, out var saved) ? saved : block.Default(language), values);

        var subject = template.Blocks.Where(b => b.Kind == BlockKind.Subject).Select(Text).FirstOrDefault() ?? template.Title;
        var parts = template.Blocks.Where(b => b.Kind != BlockKind.Subject).Select(b => new ComposedPart(b.Kind, Text(b))).ToList();
        var fixedTexts = EmailTexts.For(language);
        var customerFacing = template.Purpose != EmailPurpose.Transactional;
        return new ComposedEmail(
            language,
            // A subject is one header line: a stray line break would end it.
            subject.ReplaceLineEndings(" "),
            parts,
            values.GetValueOrDefault(EmailTemplate.ActionUrl),
            customerFacing ? string.Format(CultureInfo.InvariantCulture, fixedTexts.CustomerReason, options.Value.FromName) : fixedTexts.StaffReason,
            customerFacing ? options.Value.PostalAddress : null,
            unsubscribeUrl);
    }

    private static string PlainText(ComposedEmail email)
    {
        var texts = EmailTexts.For(email.Locale);
        var text = new StringBuilder();
        foreach (var part in email.Parts)
        {
            switch (part.Kind)
            {
                case BlockKind.Button when email.ActionUrl is not null:
                    text.Append(part.Text).Append(": ").AppendLine(email.ActionUrl);
                    break;
                case BlockKind.Heading or BlockKind.Paragraph or BlockKind.Highlight:
                    text.AppendLine(part.Kind == BlockKind.Highlight ? $"    {part.Text}" : part.Text);
                    break;
                default:
                    continue;
            }

            text.AppendLine();
        }

        text.AppendLine("--").AppendLine(email.Reason);
        if (email.PostalAddress is not null)
        {
            text.AppendLine(email.PostalAddress);
        }

        if (email.UnsubscribeUrl is not null)
        {
            text.Append(texts.Unsubscribe).Append(": ").AppendLine(email.UnsubscribeUrl);
        }

        return text.ToString();
    }
}
