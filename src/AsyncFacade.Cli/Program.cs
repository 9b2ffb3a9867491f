using AsyncFacade.Cli;

// Ctrl+C cancels the token; 15 s is enough to send the DELETE that cancels the server's job.
return await CliApp.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected, terminationTimeout: TimeSpan.FromSeconds(15));
