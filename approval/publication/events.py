"""What the chain tells the capabilities that hang on it. ``publication`` imports none of them
(the dependency rule, docs/architecture.md): each one subscribes to these signals, and the app
factory connects them all (``approval.configure_events``). A receiver runs in the transaction of
the change that sent it, so what it writes lands with the change or not at all, and an error it
raises undoes the change."""

from blinker import Namespace

_signals = Namespace()

# sender: the revision, sealed just now (its content hash fixed) on submission
revision_sealed = _signals.signal("revision-sealed")

# sender: the item, after ``transitions.perform`` moved it and audited the move; keyword
# arguments: action, actor, from_state, to_state, given (the ActionInput), chain
item_moved = _signals.signal("item-moved")
