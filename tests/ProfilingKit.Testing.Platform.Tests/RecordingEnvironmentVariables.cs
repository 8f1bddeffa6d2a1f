using Microsoft.Testing.Platform.Extensions.TestHostControllers;

namespace ProfilingKit.Testing.Platform.Tests;

/// <summary>The test host's environment as a controller sees it, recording what is set.</summary>
internal sealed class RecordingEnvironmentVariables : IEnvironmentVariables
{
    public Dictionary<string, EnvironmentVariable> Variables { get; } = [];

    public void SetVariable(EnvironmentVariable environmentVariable) => Variables[environmentVariable.Variable] = environmentVariable;

    public void RemoveVariable(string variable) => Variables.Remove(variable);

    public bool TryGetVariable(string variable, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OwnedEnvironmentVariable? environmentVariable)
    {
        environmentVariable = null;
        return false;
    }
}
