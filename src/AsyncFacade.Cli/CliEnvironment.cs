using System.CommandLine;
using AsyncFacade.Client;

namespace AsyncFacade.Cli;

/// <summary>What commands need from outside: the writers, whether stderr is a terminal, and the shared options.</summary>
internal sealed record CliEnvironment(TextWriter Stdout, TextWriter Stderr, bool Interactive, CommonOptions Common)
{
    public CliOutput Output(ParseResult parse) => new(Stdout, Stderr, parse.GetValue(Common.Json), Interactive);

    public FhirAsyncClient Client(ParseResult parse, Uri fhirBase) => new(fhirBase, Common.ClientOptions(parse));
}
