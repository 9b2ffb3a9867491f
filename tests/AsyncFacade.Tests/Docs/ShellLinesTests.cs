namespace AsyncFacade.Tests.Docs;

public sealed class ShellLinesTests
{
    [Fact]
    public void Continuations_quoted_strings_and_command_substitutions_continue_the_command()
    {
        string[] block =
        [
            "status=$(curl -s -o /dev/null -D - -X POST 'http://localhost:8080/fhir/$import' \\", // 0: starts
            "  -H 'Prefer: respond-async' -d '{",                                                  // 1
            "  \"resourceType\": \"Parameters\" (a paren in a string)",                              // 2
            "  }' | awk '{print $2}' | tr -d '\\r')",                                              // 3
            "curl -s \"$(curl -s 'x' | jq -r '.link[] | select(.relation==\"next\") | .url')\" |",  // 4: starts
            "  jq '.entry[].resource.id'   # a comment with a ' quote",                            // 5
            "case \"$status\" in http://*) echo ok ;; *) exit 1 ;; esac",                           // 6: starts
            "echo one &&",                                                                         // 7: starts
            "  echo two",                                                                          // 8
            "echo \"it's a \\\"quoted\\\" word\"",                                                  // 9: starts
        ];

        Assert.Equal([0, 4, 6, 7, 9], ShellLines.CommandStarts(block).Select((s, i) => (s, i)).Where(p => p.s).Select(p => p.i));
    }
}
