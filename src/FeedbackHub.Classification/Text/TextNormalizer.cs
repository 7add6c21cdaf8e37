using System.Buffers;

namespace FeedbackHub.Classification.Text;

/// <summary>
/// Turns a Dutch or English answer into lower-case, accent-free words separated by single spaces:
/// punctuation becomes a separator, every number the token <c>0</c>, every currency sign the token
/// <c>$</c>, letters repeated three or more times are cut to two ("sooooo" → "soo"), and common
/// contractions are written out ("don't" → "do not", "'t" → "het", "m'n" → "mijn").
/// </summary>
/// <remarks>Allocation-free on the span overload: the classifier calls it for every prediction.</remarks>
public static class TextNormalizer
{
    /// <summary>The token every number (15, 15,99, 1.000) becomes.</summary>
    public const char NumberToken = '0';

    /// <summary>The token every currency sign (€, $, £) becomes.</summary>
    public const char CurrencyToken = '$';

    private const int StackLimit = 1024;

    /// <summary>An upper bound on the normalised length of a text of <paramref name="length"/> characters.</summary>
    public static int GetMaxNormalizedLength(int length) => (length * 9) + 16;

    /// <summary>The normalised text; convenient, allocates. Use the span overload in hot paths.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rented = ArrayPool<char>.Shared.Rent(GetMaxNormalizedLength(text.Length));
        try
        {
            var length = Normalize(text, rented);
            return new string(rented, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Writes the normalised text to <paramref name="destination"/> (at least
    /// <see cref="GetMaxNormalizedLength"/> long) and returns its length.
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (destination.Length < GetMaxNormalizedLength(text.Length))
        {
            throw new ArgumentException("The destination is shorter than GetMaxNormalizedLength(text.Length).", nameof(destination));
        }

        // Pass 1 folds characters (at most 3n+2 of them: separators around numbers and signs);
        // pass 2 expands contractions token by token, which needs whole tokens to look at.
        var foldedCapacity = (text.Length * 3) + 2;
        char[]? rented = null;
        var folded = foldedCapacity <= StackLimit
            ? stackalloc char[foldedCapacity]
            : (rented = ArrayPool<char>.Shared.Rent(foldedCapacity));
        try
        {
            var foldedLength = Fold(text, folded);
            return ExpandTokens(folded[..foldedLength], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Lower-case, accents, numbers, currency, separators and repeated letters; apostrophes inside words are kept for pass 2.</summary>
    private static int Fold(ReadOnlySpan<char> text, Span<char> output)
    {
        var length = 0;
        var inNumber = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c) || (char.IsDigit(c) && !char.IsSurrogate(c)))
            {
                if (!inNumber)
                {
                    AppendSeparator(output, ref length);
                    output[length++] = NumberToken;
                    inNumber = true;
                }

                continue;
            }

            // "15,99", "1.000" and "2-3" stay one number.
            if (inNumber && c is ',' or '.' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                continue;
            }

            if (inNumber)
            {
                inNumber = false;
                AppendSeparator(output, ref length);
            }

            if (IsApostrophe(c))
            {
                // Kept only where it can belong to a contraction: next to a letter.
                var letterBefore = length > 0 && output[length - 1] is not ' ' and not '\'';
                var letterAfter = i + 1 < text.Length && char.IsLetter(text[i + 1]);
                if (letterAfter || letterBefore)
                {
                    output[length++] = '\'';
                }
                else
                {
                    AppendSeparator(output, ref length);
                }

                continue;
            }

            if (c is '€' or '$' or '£' or '¥')
            {
                AppendSeparator(output, ref length);
                output[length++] = CurrencyToken;
                AppendSeparator(output, ref length);
                continue;
            }

            if (!char.IsLetter(c))
            {
                AppendSeparator(output, ref length);
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (lower < 128)
            {
                AppendLetter(output, ref length, lower);
                continue;
            }

            switch (lower)
            {
                case 'ß':
                    AppendLetter(output, ref length, 's');
                    AppendLetter(output, ref length, 's');
                    break;
                case 'æ':
                    AppendLetter(output, ref length, 'a');
                    AppendLetter(output, ref length, 'e');
                    break;
                case 'œ':
                    AppendLetter(output, ref length, 'o');
                    AppendLetter(output, ref length, 'e');
                    break;
                case 'ĳ':
                    AppendLetter(output, ref length, 'i');
                    AppendLetter(output, ref length, 'j');
                    break;
                default:
                    AppendLetter(output, ref length, FoldAccent(lower));
                    break;
            }
        }

        if (length > 0 && output[length - 1] == ' ')
        {
            length--;
        }

        return length;
    }

    private static void AppendSeparator(Span<char> output, ref int length)
    {
        if (length > 0 && output[length - 1] != ' ')
        {
            output[length++] = ' ';
        }
    }

    private static void AppendLetter(Span<char> output, ref int length, char letter)
    {
        // A third identical letter in a row adds nothing ("sooooo" and "sooo" both become "soo").
        if (length >= 2 && output[length - 1] == letter && output[length - 2] == letter)
        {
            return;
        }

        output[length++] = letter;
    }

    private static bool IsApostrophe(char c) => c is '\'' or '’' or '‘' or '`' or '´' or '′';

    /// <summary>Latin letters with diacritics to their base letter; other scripts pass through unchanged.</summary>
    internal static char FoldAccent(char c) => c switch
    {
        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' or 'ā' or 'ă' or 'ą' => 'a',
        'ç' or 'ć' or 'č' or 'ĉ' or 'ċ' => 'c',
        'ď' or 'đ' => 'd',
        'è' or 'é' or 'ê' or 'ë' or 'ē' or 'ĕ' or 'ė' or 'ę' or 'ě' => 'e',
        'ĝ' or 'ğ' or 'ġ' or 'ģ' => 'g',
        'ì' or 'í' or 'î' or 'ï' or 'ĩ' or 'ī' or 'ĭ' or 'į' or 'ı' => 'i',
        'ñ' or 'ń' or 'ň' or 'ņ' => 'n',
        'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' or 'ō' or 'ŏ' or 'ő' => 'o',
        'ŕ' or 'ř' => 'r',
        'ś' or 'š' or 'ş' => 's',
        'ť' or 'ţ' => 't',
        'ù' or 'ú' or 'û' or 'ü' or 'ũ' or 'ū' or 'ŭ' or 'ů' or 'ű' or 'ų' => 'u',
        'ý' or 'ÿ' => 'y',
        'ź' or 'ż' or 'ž' => 'z',
        'ł' => 'l',
        _ => c,
    };

    /// <summary>Pass 2: writes each folded token, expanding contractions and informal spellings, dropping stray apostrophes.</summary>
    private static int ExpandTokens(ReadOnlySpan<char> folded, Span<char> output)
    {
        var length = 0;
        var position = 0;
        while (position < folded.Length)
        {
            var end = folded[position..].IndexOf(' ');
            var token = end < 0 ? folded[position..] : folded.Slice(position, end);
            position += token.Length + 1;
            WriteToken(token, output, ref length);
        }

        return length;
    }

    private static void WriteToken(ReadOnlySpan<char> token, Span<char> output, ref int length)
    {
        var replacement = Replacement(token);
        if (replacement is not null)
        {
            Append(replacement, output, ref length);
            return;
        }

        if (token.Contains('\''))
        {
            // "n't" forms: "didn't" → "did not", "can't" → "can not", "won't" → "will not".
            if (token.EndsWith("n't"))
            {
                var stem = token[..^3];
                Append(stem switch
                {
                    "ca" => "can",
                    "wo" => "will",
                    "sha" => "shall",
                    "ai" => "is",
                    _ => stem,
                }, output, ref length);
                Append("not", output, ref length);
                return;
            }

            var apostrophe = token.LastIndexOf('\'');
            var head = token[..apostrophe];
            var tail = token[(apostrophe + 1)..];
            var expansion = tail switch
            {
                "re" => "are",
                "ve" => "have",
                "ll" => "will",
                "m" => "am",
                "d" => "would",
                "s" when IsPronounBeforeIs(head) => "is",
                _ => null,
            };
            if (expansion is not null && head.Length > 0)
            {
                AppendWithoutApostrophes(head, output, ref length);
                Append(expansion, output, ref length);
                return;
            }

            if (tail is "s" && head.Length > 0)
            {
                // Possessive ("company's") and Dutch plural ("foto's") both keep the stem.
                AppendWithoutApostrophes(head, output, ref length);
                return;
            }

            AppendWithoutApostrophes(token, output, ref length);
            return;
        }

        Append(token, output, ref length);
    }

    private static bool IsPronounBeforeIs(ReadOnlySpan<char> word) =>
        word is "it" or "that" or "there" or "what" or "he" or "she" or "here" or "who" or "where" or "how" or "da" or "wat" or "dat";

    /// <summary>Whole-token replacements: apostrophe forms in Dutch and informal spellings in both languages.</summary>
    private static string? Replacement(ReadOnlySpan<char> token) => token switch
    {
        // Dutch
        "'t" => "het",
        "'n" => "een",
        "'k" => "ik",
        "'s" => "s",
        "m'n" => "mijn",
        "z'n" => "zijn",
        "d'r" => "haar",
        "da's" => "dat is",
        "kheb" => "ik heb",
        "tis" => "het is",
        "mn" => "mijn",
        "zn" => "zijn",
        "nie" or "ni" => "niet",
        "ff" => "even",
        "idd" => "inderdaad",
        "wss" => "waarschijnlijk",
        // English
        "dont" => "do not",
        "doesnt" => "does not",
        "didnt" => "did not",
        "cant" => "can not",
        "cannot" => "can not",
        "couldnt" => "could not",
        "wouldnt" => "would not",
        "shouldnt" => "should not",
        "isnt" => "is not",
        "wasnt" => "was not",
        "werent" => "were not",
        "arent" => "are not",
        "havent" => "have not",
        "hasnt" => "has not",
        "hadnt" => "had not",
        "wont" => "will not",
        "aint" => "is not",
        "im" => "i am",
        "ive" => "i have",
        "youre" => "you are",
        "theyre" => "they are",
        "u" => "you",
        "ur" => "your",
        "pls" or "plz" => "please",
        "thx" => "thanks",
        "cuz" or "coz" or "bc" => "because",
        "gonna" => "going to",
        "wanna" => "want to",
        _ => null,
    };

    private static void Append(ReadOnlySpan<char> word, Span<char> output, ref int length)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (length > 0)
        {
            output[length++] = ' ';
        }

        word.CopyTo(output[length..]);
        length += word.Length;
    }

    private static void AppendWithoutApostrophes(ReadOnlySpan<char> word, Span<char> output, ref int length)
    {
        var start = length;
        if (length > 0)
        {
            output[length++] = ' ';
        }

        var written = 0;
        foreach (var c in word)
        {
            if (c != '\'')
            {
                output[length++] = c;
                written++;
            }
        }

        if (written == 0)
        {
            length = start;
        }
    }
}
