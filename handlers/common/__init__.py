"""What every feature handler shares: dependencies, the callback codec, replies, flows."""
