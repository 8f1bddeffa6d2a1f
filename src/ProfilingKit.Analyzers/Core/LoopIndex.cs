using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Where a syntax tree's loops are: the positions of its for, foreach, while and do keywords that
/// begin a loop statement, found once per tree. The rules ask it whether a member has a loop before
/// they look into the member, which they do for every member of the compilation.
/// </summary>
/// <remarks>
/// The index reads the tree's text for the four words and asks the parser for the token at each
/// (<see cref="SyntaxNode.FindToken"/>), so words in comments, strings, identifiers and disabled
/// code are dropped. Measured with bench/analyzers, walking each member's syntax for loop statements
/// instead was the largest single cost of the package in a build (docs/benchmarks.md).
/// </remarks>
internal sealed class LoopIndex
{
    private static readonly ConditionalWeakTable<SyntaxTree, LoopIndex> ByTree = new();
    private static readonly ConditionalWeakTable<SyntaxTree, LoopIndex>.CreateValueCallback Build = tree => new LoopIndex(tree);

    /// <summary>Sorted positions of the loop keywords.</summary>
    private readonly int[] _keywords;

    private LoopIndex(SyntaxTree tree) => _keywords = FindLoopKeywords(tree);

    /// <summary>True when a loop statement (including one in a lambda or local function) starts inside <paramref name="node"/>.</summary>
    public static bool HasLoop(SyntaxNode node) => ByTree.GetValue(node.SyntaxTree, Build).AnyWithin(node.Span);

    private bool AnyWithin(TextSpan span)
    {
        var index = Array.BinarySearch(_keywords, span.Start);
        if (index < 0) index = ~index;
        return index < _keywords.Length && _keywords[index] < span.End;
    }

    private static int[] FindLoopKeywords(SyntaxTree tree)
    {
        var text = tree.GetText().ToString();
        var root = tree.GetRoot();
        var keywords = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            // The word test only saves parser lookups; the token decides.
            var length = LoopWordLength(text, i);
            if (length == 0) continue;

            var token = root.FindToken(i);
            if (token.SpanStart == i && token.Parent is ForStatementSyntax or ForEachStatementSyntax or ForEachVariableStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
            {
                keywords.Add(i); // a do loop's while is a second position in the same loop: harmless
            }

            i += length - 1;
        }

        return keywords.ToArray();
    }

    /// <summary>The length of the loop keyword spelled at <paramref name="i"/> as a whole word, or 0.</summary>
    private static int LoopWordLength(string text, int i)
    {
        var first = text[i];
        if (first is not ('f' or 'w' or 'd') || (i > 0 && IsWordPart(text[i - 1]))) return 0;

        var length = first switch
        {
            'f' when At(text, i, "foreach") => 7,
            'f' when At(text, i, "for") => 3,
            'w' when At(text, i, "while") => 5,
            'd' when At(text, i, "do") => 2,
            _ => 0,
        };
        return length > 0 && i + length < text.Length && IsWordPart(text[i + length]) ? 0 : length;
    }

    private static bool At(string text, int i, string word) => string.CompareOrdinal(text, i, word, 0, word.Length) == 0;

    private static bool IsWordPart(char c) => c == '_' || c == '@' || char.IsLetterOrDigit(c);
}
