using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// The loop index reads the tree's text for loop keywords: each method below says in its name whether
/// it has a loop, and the index must agree with the syntax tree for every one of them.
/// </summary>
public class LoopIndexTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class Samples
        {
            int @for;
            int forEachCount, whileCount, doneCount;

            void LoopFor() { for (var i = 0; i < 3; i++) { } }
            void LoopForeach(List<int> xs) { foreach (var x in xs) { } }
            void LoopForeachDeconstruction(List<(int A, int B)> xs) { foreach (var (a, b) in xs) { } }
            void LoopWhile() { while (doneCount < 3) doneCount++; }
            void LoopDoWhile() { do { doneCount++; } while (doneCount < 3); }
            async Task LoopAwaitForeach(IAsyncEnumerable<int> xs) { await foreach (var x in xs) { } }
            void LoopInLambda() { Action a = () => { while (true) { } }; }
            void LoopInLocalFunction() { Local(); void Local() { for (;;) { } } }
            string LoopInInterpolation(int[] xs) => $"{xs.Select(x => { for (var i = 0; i < x; i++) { } return x; }).Sum()}";
            void LoopNested() { foreach (var x in new[] { 1 }) { while (false) { } } }
            void LoopAtEnd() {for(;;){}}

            // for while do foreach: only words in a comment
            void NoLoopComment() { /* for (;;) { } while (true) */ }
            void NoLoopString() { var s = "for (;;) { } do { } while (true)"; var v = @"foreach (var x in y)"; }
            void NoLoopIdentifiers() { @for = forEachCount + whileCount + doneCount; var forx = 1; var dox = forx; }
            void NoLoopCharacters() { var c = 'f'; var d = 'd'; var w = 'w'; }
            void NoLoopInterpolatedText() => Console.WriteLine($"for {@for} do while");
        #if NEVER_DEFINED
            void Disabled() { for (;;) { } }
        #endif
            void NoLoopAfterDisabledCode() { doneCount = 0; }
        }
        """;

    [Fact]
    public void Finds_exactly_the_members_with_loop_statements()
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Parent is ClassDeclarationSyntax).ToList();
        Assert.Equal(17, methods.Count);

        foreach (var method in methods)
        {
            var name = method.Identifier.Text;
            var bySyntax = method.DescendantNodes().Any(n => n is ForStatementSyntax or ForEachStatementSyntax or ForEachVariableStatementSyntax or WhileStatementSyntax or DoStatementSyntax);
            Assert.True(bySyntax == name.StartsWith("Loop", StringComparison.Ordinal), $"the sample {name} is misnamed");
            Assert.True(LoopIndex.HasLoop(method) == bySyntax, $"{name}: index says {LoopIndex.HasLoop(method)}, syntax says {bySyntax}");
        }
    }

    [Fact]
    public void A_loop_counts_only_inside_the_node_that_holds_it()
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        var loopFor = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "LoopFor");
        var forStatement = loopFor.DescendantNodes().OfType<ForStatementSyntax>().Single();

        Assert.True(LoopIndex.HasLoop(forStatement));
        Assert.True(LoopIndex.HasLoop(forStatement.Statement) is false, "the loop's own body holds no loop");
        Assert.False(LoopIndex.HasLoop(loopFor.ParameterList));
    }

    [Fact]
    public void A_new_version_of_a_tree_is_indexed_again()
    {
        var tree = CSharpSyntaxTree.ParseText("class C { void M() { var x = 1; } }");
        var before = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        Assert.False(LoopIndex.HasLoop(before));

        var changed = tree.WithChangedText(tree.GetText().Replace(new Microsoft.CodeAnalysis.Text.TextSpan(21, 10), "while (true) { }"));
        var after = changed.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        Assert.True(LoopIndex.HasLoop(after), after.ToFullString());
    }
}
