namespace AsyncFacade.Tests.Docs;

public sealed class MarkdownExamplesTests
{
    [Fact]
    public void Only_bash_sh_and_shell_fences_are_examples_with_the_line_of_their_opening_fence()
    {
        var examples = MarkdownExamples.Parse("page.md", """
            # Title
            ```bash
            echo one
            ```
            ```json
            {"not": "run"}
            ```
            ```sh
            echo two
            ```
            ```
            plain
            ```
            ```http
            GET /fhir/metadata
            ```
            ```shell title="x"
            echo three
            ```
            ```csharp
            var x = 1;
            ```
            """);

        Assert.Equal([(2, "echo one"), (8, "echo two"), (17, "echo three")], examples.Select(e => (e.Line, e.Code)));
        Assert.All(examples, e => Assert.Equal("page.md", e.Page));
        Assert.All(examples, e => Assert.Null(e.SkipReason));
        Assert.All(examples, e => Assert.Empty(e.Server));
        Assert.All(examples, e => Assert.False(e.AllowHttpErrors));
    }

    [Fact]
    public void Tilde_fences_and_longer_fences_hold_shorter_ones_as_content()
    {
        var examples = MarkdownExamples.Parse("page.md", """
            ~~~bash
            cat <<'EOF'
            ```
            EOF
            ~~~
            ````sh
            echo '```'
            ```
            ````
            """);

        Assert.Equal(["cat <<'EOF'\n```\nEOF", "echo '```'\n```"], examples.Select(e => e.Code));
    }

    [Fact]
    public void A_fence_inside_a_list_item_loses_its_indentation_and_keeps_deeper_indentation()
    {
        var examples = MarkdownExamples.Parse("page.md", """
            1. Point the facade at the provider:
               <!-- example: skip "needs a real identity provider" -->
               ```bash
               export A=1
               if true; then
                 echo "$A"
               fi
               ```
            2. Check it.
            """);

        var example = Assert.Single(examples);
        Assert.Equal(3, example.Line);
        Assert.Equal("export A=1\nif true; then\n  echo \"$A\"\nfi", example.Code);
        Assert.Equal("needs a real identity provider", example.SkipReason);
    }

    [Fact]
    public void Markers_above_a_fence_set_skip_server_settings_and_allowed_http_errors()
    {
        var examples = MarkdownExamples.Parse("page.md", """
            <!-- example: skip "needs Docker" -->
            ```bash
            docker build .
            ```
            <!-- example: server Simulation__Enabled=true Server__PublicBaseUrl="http://localhost:8080" -->
            <!-- example: server Auth__Jwks='{"keys":[]}' -->
            <!-- example: allow-http-errors -->
            ```bash
            curl -si http://localhost:8080/fhir/Patient/unknown
            ```
            <!-- example: server Server__PublicBaseUrl=http://localhost:8080 Auth__Jwks='{"keys":[]}' Simulation__Enabled=true -->
            ```bash
            echo same server
            ```
            ```bash
            echo default server, strict
            ```
            """);

        Assert.Equal("needs Docker", examples[0].SkipReason);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Simulation__Enabled"] = "true",
                ["Server__PublicBaseUrl"] = "http://localhost:8080",
                ["Auth__Jwks"] = """{"keys":[]}""",
            },
            examples[1].Server);
        Assert.True(examples[1].AllowHttpErrors);
        Assert.Null(examples[1].SkipReason);
        Assert.Equal(examples[1].ServerKey, examples[2].ServerKey); // the same settings in another order: one server
        Assert.False(examples[2].AllowHttpErrors);
        Assert.Equal("", examples[3].ServerKey);
        Assert.False(examples[3].AllowHttpErrors);
    }

    [Fact]
    public void Marker_text_inside_a_fence_is_content()
    {
        var example = Assert.Single(MarkdownExamples.Parse("page.md", """
            ```bash
            <!-- example: skip "not a marker here" -->
            ```
            """));

        Assert.Null(example.SkipReason);
        Assert.Equal("""<!-- example: skip "not a marker here" -->""", example.Code);
    }

    [Theory]
    [InlineData("text\n\n```bash\necho never closed\n", "docs/x.md:3: code fence ``` is never closed")]
    [InlineData("- item\n  ~~~~sh\n  echo\n  ~~~\n", "docs/x.md:2: code fence ~~~~ is never closed")]
    [InlineData("```bash\necho\n````\n```json\n{}\n", "docs/x.md:4: code fence ``` is never closed")]
    [InlineData("<!-- example: skipp \"typo\" -->\n```bash\necho\n```\n", "docs/x.md:1: unknown marker 'skipp \"typo\"'")]
    [InlineData("<!-- example: skip reason without quotes -->\n```bash\necho\n```\n", "docs/x.md:1: unknown marker")]
    [InlineData("<!-- example: server -->\n```bash\necho\n```\n", "docs/x.md:1: unknown marker 'server'")]
    [InlineData("<!-- example skip \"no colon\" -->\n```bash\necho\n```\n", "docs/x.md:1: malformed marker")]
    [InlineData("<!-- example: allow-http-errors -->\n\n```bash\necho\n```\n", "docs/x.md:1: marker is not directly above a code fence")]
    [InlineData("text\n<!-- example: allow-http-errors -->\n", "docs/x.md:2: marker is not directly above a code fence")]
    [InlineData("<!-- example: skip \"x\" -->\n```json\n{}\n```\n", "docs/x.md:1: marker on a 'json' block, which is not run")]
    [InlineData("<!-- example: server A=1 A=2 -->\n```bash\necho\n```\n", "docs/x.md:1: server setting A is given twice")]
    public void Malformed_pages_fail_naming_the_page_and_line(string markdown, string error)
    {
        var exception = Assert.Throws<FormatException>(() => MarkdownExamples.Parse("docs/x.md", markdown));

        Assert.StartsWith(error, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_html_comments_and_crlf_line_ends_are_fine()
    {
        var examples = MarkdownExamples.Parse("page.md", "<!-- examples below need curl -->\r\n```bash\r\necho hi\r\n```\r\n");

        Assert.Equal("echo hi", Assert.Single(examples).Code);
    }
}
