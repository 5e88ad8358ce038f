from approval.workflow import Action


def test_full_chain_publishes_with_index_number(world):
    item = world.to_state(world.item(), "published")
    assert item.index_number == f"{world.body.credit_code}/{item.published_at.year}-00001"
