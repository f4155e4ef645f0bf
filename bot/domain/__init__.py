"""Pure rules of Møteklar: people, invitations, time. No I/O."""
