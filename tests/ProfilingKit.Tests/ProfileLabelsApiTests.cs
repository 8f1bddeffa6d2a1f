using ProfilingKit.Labels;

namespace ProfilingKit.Tests;

/// <summary>What <see cref="ProfileLabels"/> promises in process: Go's <c>pprof.Do</c> nesting, flow across awaits, and the thread activity id the runtime's events carry.</summary>
public sealed class ProfileLabelsApiTests
{
    [Fact]
    public void Scopes_nest_override_and_restore()
    {
        Assert.Empty(ProfileLabels.Current);
        using (ProfileLabels.Set("route", "/a"))
        {
            using (ProfileLabels.Set([new("tenant", "7"), new("route", "/b")]))
            {
                Assert.Equal([new("route", "/b"), new("tenant", "7")], ProfileLabels.Current);
                Assert.True(ProfileLabels.TryGetValue("tenant", out var tenant));
                Assert.Equal("7", tenant);
            }

            Assert.Equal([new("route", "/a")], ProfileLabels.Current);
            Assert.False(ProfileLabels.TryGetValue("tenant", out _));
        }

        Assert.Empty(ProfileLabels.Current);
    }

    [Fact]
    public async Task Labels_flow_across_awaits_and_set_the_activity_id_of_whichever_thread_runs_the_code()
    {
        using (ProfileLabels.Set("tenant", "flow"))
        {
            var expected = System.Diagnostics.Tracing.EventSource.CurrentThreadActivityId;
            Assert.Equal(LabelSetRegistry.Current!.Id, LabelActivityIds.LabelSetOf(expected));
            for (var i = 0; i < 5; i++)
            {
                await Task.Yield();
                Assert.Equal([new("tenant", "flow")], ProfileLabels.Current);
                Assert.Equal(expected, System.Diagnostics.Tracing.EventSource.CurrentThreadActivityId);
            }

            var inside = await Task.Run(() => System.Diagnostics.Tracing.EventSource.CurrentThreadActivityId);
            Assert.Equal(expected, inside);
        }

        // Work queued outside any scope runs with no label set's activity id, on whatever thread it lands.
        var outside = await Task.Run(() => System.Diagnostics.Tracing.EventSource.CurrentThreadActivityId);
        Assert.Equal(0, LabelActivityIds.LabelSetOf(outside));
    }

    [Fact]
    public void The_same_labels_are_one_set_and_bad_keys_are_refused()
    {
        using (ProfileLabels.Set([new("k", "v"), new("j", "w")]))
        {
            var first = LabelSetRegistry.Current;
            using (ProfileLabels.Set([new("j", "w"), new("k", "v")])) Assert.Same(first, LabelSetRegistry.Current);
        }

        Assert.Throws<ArgumentException>(() => ProfileLabels.Set("", "v"));
        Assert.Throws<ArgumentNullException>(() => ProfileLabels.Set("k", null!));
        Assert.Empty(ProfileLabels.Current); // a refused scope changes nothing

        // A separator in a value cannot cut the event's encoding: it becomes U+FFFD.
        using (ProfileLabels.Set("k", "a\u001Fb\0c")) Assert.Equal("a\uFFFDb\uFFFDc", ProfileLabels.Current[0].Value);
    }

    [Fact]
    public void Activity_ids_name_label_sets_and_nobody_else_s_activities()
    {
        Assert.Equal(42, LabelActivityIds.LabelSetOf(LabelActivityIds.Of(42)));
        Assert.Equal(int.MaxValue, LabelActivityIds.LabelSetOf(LabelActivityIds.Of(int.MaxValue)));
        Assert.Equal(0, LabelActivityIds.LabelSetOf(Guid.Empty));
        Assert.Equal(0, LabelActivityIds.LabelSetOf(Guid.NewGuid()));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelActivityIds.Of(0));
    }

    [Fact]
    public void Label_set_events_round_trip_their_labels()
    {
        KeyValuePair<string, string>[] labels = [new("http.route", "/users/{id}"), new("tenant", ""), new("ünï", "cödé")];
        var text = LabelSetEvents.Encode(labels);
        var payload = BitConverter.GetBytes(9).Concat(System.Text.Encoding.Unicode.GetBytes(text + "\0")).ToArray();

        Assert.True(LabelSetEvents.TryRead(payload, out var id, out var read));
        Assert.Equal(9, id);
        Assert.Equal(labels, read);
        Assert.False(LabelSetEvents.TryRead(payload.AsSpan(0, payload.Length - 2), out _, out _)); // no terminating NUL
        Assert.False(LabelSetEvents.TryRead(BitConverter.GetBytes(9).Concat(System.Text.Encoding.Unicode.GetBytes("k\u001Fv\0")).ToArray(), out _, out _)); // a key without its value's end
    }
}
