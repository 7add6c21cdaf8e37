using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Email.Admin;

/// <summary>Saves marketers' wording for template blocks, after checking it, and puts defaults back.</summary>
public sealed class EmailTextEditor(AppDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>Saves every changed block of one template in one language at once; nothing is saved if any block is wrong.</summary>
    public async Task<OperationResult<int>> SaveAsync(
        Actor actor, EmailTemplate template, string locale, IReadOnlyDictionary<string, string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(texts);
        if (!CustomerLocales.IsSupported(locale))
        {
            return new(0, [$"Unknown language '{locale}'."]);
        }

        var problems = texts.SelectMany(t => template.Validate(t.Key, t.Value)).ToList();
        if (problems.Count > 0)
        {
            return new(0, problems);
        }

        var saved = await db.EmailTextBlocks.Where(b => b.Template == template.Key && b.Locale == locale).ToDictionaryAsync(b => b.Block, cancellationToken);
        var changed = 0;
        foreach (var (blockKey, text) in texts)
        {
            var block = template.Block(blockKey)!;
            saved.TryGetValue(blockKey, out var row);
            if (text == (row?.Text ?? block.Default(locale)))
            {
                continue;
            }

            if (text == block.Default(locale))
            {
                // Back to the built-in wording: drop the override, so later improvements to the default reach this installation.
                db.EmailTextBlocks.Remove(row!);
            }
            else if (row is null)
            {
                db.EmailTextBlocks.Add(new EmailTextBlock { Template = template.Key, Locale = locale, Block = blockKey, Text = text, UpdatedAt = time.GetUtcNow(), UpdatedBy = actor.Name });
            }
            else
            {
                (row.Text, row.UpdatedAt, row.UpdatedBy) = (text, time.GetUtcNow(), actor.Name);
            }

            audit.Add(actor, AuditActions.EmailTextChanged, $"{template.Key}/{locale}/{blockKey}", TextLimits.Truncate(text, 500));
            changed++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new(changed, []);
    }
}
