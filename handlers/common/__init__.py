"""What every feature handler shares: dependencies, answering buttons, replies, pages, flows."""
