namespace FeedbackHub.Web.Features.Email.Templates;

/// <summary>A block with its placeholders filled in (still plain text: the HTML layout encodes it).</summary>
public sealed record ComposedPart(BlockKind Kind, string Text);

/// <summary>Everything an email says, before it is laid out as HTML and as plain text.</summary>
public sealed record ComposedEmail(
    string Locale,
    string Subject,
    IReadOnlyList<ComposedPart> Parts,
    string? ActionUrl,
    string Reason,
    string? PostalAddress,
    string? UnsubscribeUrl)
{
    /// <summary>The line inbox lists show after the subject: the first paragraph.</summary>
    public string Preheader => Parts.FirstOrDefault(p => p.Kind == BlockKind.Paragraph)?.Text ?? "";
}

/// <summary>An email ready for the outbox.</summary>
public sealed record RenderedEmail(string Locale, string Subject, string Html, string Text);
