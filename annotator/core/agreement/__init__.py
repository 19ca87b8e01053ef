"""Inter-annotator agreement (AGREEMENT.md): span F1, token kappas, alpha, and accuracy
against gold, as pure functions the command line and the window share."""
